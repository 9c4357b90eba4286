import type { OfferUi } from '../offer/ui.ts'
import { drawCard } from './card.ts'
import { viewOf } from './look.ts'
import { watch } from './watch.ts'
import { visibleZone } from './zone.ts'

/**
 * The offer UI: where an offer of a format goes on this page, and drawing it there. Safari before
 * 16.4 has no constructable stylesheets, the only styling a strict CSP allows: such a browser gets
 * no offer rather than an unstyled one. An `embedded` offer goes to the first `[data-lp-zone]` a
 * visitor can see (a hidden one in page content must not swallow it).
 */
export const offerUi: OfferUi = {
  place_(format, zone) {
    if (!('adoptedStyleSheets' in Document.prototype)) return { code: 'render', message: 'this browser cannot show offers (no constructable stylesheets)' }
    let into: Element | undefined
    if (format === 'embedded') {
      const selector = `[data-lp-zone${zone ? `="${zone}"` : ''}]`
      into = [...document.querySelectorAll(selector)].find(visibleZone)
      if (!into) return { code: 'zone', message: `no visible ${selector} element on the page` }
    }
    return {
      draw_(drawing) {
        const drawn = drawCard(drawing.id_, viewOf(drawing.looks_, format, drawing.language_), into, { accept: drawing.accept_, close: drawing.close_ })
        const stop = watch(drawn.host, drawing.seen_, drawing.removed_)
        return {
          host_: drawn.host,
          remove_() {
            stop()
            drawn.remove()
          },
        }
      },
    }
  },
}
