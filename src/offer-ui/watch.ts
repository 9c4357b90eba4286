import { dict } from '../lib/checks.ts'
import { pageHidden } from '../lib/page.ts'

/**
 * Follows a drawn offer: `seen` once at least half of `host` is inside the viewport of a visible
 * document (the host is what each format draws: the closed slide-out's tab, the peeling corner,
 * the overlay with its backdrop; a clip-path on the card would count as hidden), and `removed`
 * when the page takes it out of the DOM (a framework re-rendering its root, a script tidying up).
 * Returns how to stop following.
 */
export function watch(host: HTMLElement, seen: () => void, removed: () => void): () => void {
  let halfVisible = false
  let stopSeeing = () => {}
  const check = () => {
    // Through the prototype: `<img name="visibilityState">` in page content must not hide every impression.
    if (!halfVisible || pageHidden()) return
    stopSeeing()
    seen()
  }
  const viewport = new IntersectionObserver(([entry]) => {
    halfVisible = !!entry && entry.intersectionRatio >= 0.5
    check()
  }, dict({ threshold: 0.5 }))
  viewport.observe(host)
  // On `window` (the event bubbles there from `document`), whose `addEventListener` page content cannot shadow.
  addEventListener('visibilitychange', check)
  stopSeeing = () => {
    viewport.disconnect()
    removeEventListener('visibilitychange', check)
  }
  const dom = new MutationObserver(() => {
    if (!host.isConnected) removed()
  })
  dom.observe(document, dict({ childList: true, subtree: true }))
  return () => {
    stopSeeing()
    dom.disconnect()
  }
}
