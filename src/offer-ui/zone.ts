import { sheet, sharedSheet } from './styles.ts'
import { embedded } from './formats/embedded.ts'
import { element } from './format.ts'
import { dict } from '../lib/checks.ts'

/** Below this, in CSS px, a box shows nothing of a card: a visually-hidden class's 1 px, a 0 px clip. */
const SEEN_PX = 10

/**
 * Whether an `embedded` offer drawn into `zone` can be seen: an offer shown is an offer seen, and
 * page content may hold a zone nobody on the brand's side put there, inside the page's own
 * visually-hidden class (`.sr-only`: 1 px, clipped), off the page, or transparent. Measured on an
 * empty card put there for a moment (styled as an offer is, so page CSS cannot size it): what of it
 * no clipping ancestor cuts away (overflow, `clip-path`; a `clip` hides it) must be at least 10 px
 * each way, not left of or above the page, under no transparent ancestor. `<html>` and `<body>` are
 * left out of the clipping: their overflow is the viewport's.
 */
export function visibleZone(zone: Element): boolean {
  const probe = document.createElement('div')
  const root = probe.attachShadow(dict({ mode: 'open' }))
  root.adoptedStyleSheets = [sharedSheet(), sheet(embedded.css)]
  root.append(element('div', 'b'))
  zone.append(probe)
  try {
    let { left, top, right, bottom } = probe.getBoundingClientRect()
    if (right + scrollX <= 0 || bottom + scrollY <= 0) return false
    for (let each = probe.parentElement; each; each = each.parentElement) {
      const style = getComputedStyle(each)
      if (+style.opacity === 0 || style.clip !== 'auto') return false
      if (each.parentElement?.parentElement && (style.overflow !== 'visible' || style.clipPath !== 'none')) {
        const cut = each.getBoundingClientRect()
        left = Math.max(left, cut.left)
        top = Math.max(top, cut.top)
        right = Math.min(right, cut.right)
        bottom = Math.min(bottom, cut.bottom)
      }
    }
    return right - left >= SEEN_PX && bottom - top >= SEEN_PX
  } finally {
    probe.remove()
  }
}
