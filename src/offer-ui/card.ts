import { dict } from '../lib/checks.ts'
import { documentMember } from '../lib/page.ts'
import type { Format } from '../types.ts'
import { element, isolated, type FormatStyle, type OfferParts, type OfferView } from './format.ts'
import { embedded } from './formats/embedded.ts'
import { overlay } from './formats/overlay.ts'
import { peeling } from './formats/peeling.ts'
import { slideout } from './formats/slideout.ts'
import { sticky } from './formats/sticky.ts'
import { toaster } from './formats/toaster.ts'
import { sharedSheet, sheet, themeCss } from './styles.ts'

const STYLES: Record<Format, FormatStyle> = { peeling, overlay, toaster, slideout, embedded, sticky }

/** A `data-lp-action` button; its class is the action's initial (`.a`, `.c` in the shared CSS). */
function button(action: string, label: string, onClick: () => void): HTMLButtonElement {
  const control = isolated('button', action[0]!, label)
  control.setAttribute('data-lp-action', action)
  control.onclick = onClick
  return control
}

/**
 * Who the visitor would talk to: the name, after the picture when there is one. The picture is
 * decorative (the name says it) and goes without the page's address; one that fails to load is
 * taken out rather than shown broken.
 */
function agentLine(name: string, avatar: string | undefined): HTMLElement {
  const line = isolated('p', 'g', name)
  if (avatar) {
    const picture = element('img', 'v')
    picture.alt = ''
    picture.referrerPolicy = 'no-referrer'
    picture.onerror = () => picture.remove()
    picture.src = avatar
    line.prepend(picture)
  }
  return line
}

/**
 * Puts one offer in the page (contract section 6): a host element `data-lp-engagement` with an
 * open shadow root, holding the card every format starts from (title, text, accept, close), its
 * format adding CSS and behaviour. `zone` is where an `embedded` offer goes; the other formats go
 * to the top layer. Returns the host and how to take it out again.
 */
export function drawCard(id: string, view: OfferView, zone: Element | undefined, on: OfferParts['on']) {
  const style = STYLES[view.format]
  const host = document.createElement('div')
  host.setAttribute('data-lp-engagement', id)
  host.setAttribute('data-lp-format', view.format)
  // Every format mirrors on a right-to-left page or engagement (the CSS reads the host's `dir`).
  host.dir = view.rtl ? 'rtl' : 'ltr'
  const root = host.attachShadow(dict({ mode: 'open' }))
  root.adoptedStyleSheets = [sharedSheet(), sheet(style.css + themeCss(view.theme, view.accent))]

  const card = element('div', 'b')
  const title = isolated('p', 't', view.title)
  title.id = 't'
  card.setAttribute('role', 'region')
  card.setAttribute('aria-labelledby', 't')
  const accept = button('accept', view.button, on.accept)
  if (view.agent) card.append(agentLine(view.agent, view.avatar))
  card.append(title, isolated('p', 'x', view.text), accept)
  let close: HTMLButtonElement | undefined
  if (view.format !== 'embedded') {
    close = button('close', '×', on.close)
    close.setAttribute('aria-label', view.close)
    card.append(close)
  }
  root.append(card)
  if (zone) zone.append(host)
  else if ('showPopover' in host) {
    // The top layer: drawn over everything in the viewport, whatever z-index the page uses and
    // whatever `transform`, `filter`, `contain` or `will-change` on <body> would otherwise make the
    // containing block of a fixed-position box.
    host.popover = 'manual'
    documentMember('body')!.append(host)
    host.showPopover()
  }
  // Without popovers (Safari before 17, Firefox before 125), outside <body>, which is what such
  // styles are usually set on.
  else documentMember('documentElement')!.append(host)
  const undo = style.setup?.({ root, card, accept, close, view, on })
  return {
    host,
    /** Takes the offer out of the DOM (and gives focus back where the overlay took it). */
    remove() {
      host.remove()
      undo?.()
    },
  }
}
