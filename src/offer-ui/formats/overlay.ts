import { element, type FormatStyle } from '../format.ts'

/**
 * A modal dialog over a backdrop: focus moves to accept and comes back on removal, Tab and
 * Shift+Tab cycle between its two controls, Escape and a click on the backdrop decline.
 */
export const overlay: FormatStyle = {
  css: `:host{inset:0!important;display:grid!important;place-items:center!important;padding:16px!important}
.k{position:fixed;inset:0;background:#0b0f14b3;transition:.3s}
@starting-style{.k{opacity:0}}
.b{width:min(440px,100%);max-height:100%;overflow:auto;padding:28px 28px 24px;padding-inline-end:52px;--lp-from:scale(.96)}
.t{font-size:20px}`,
  setup({ root, card, accept, close, on }) {
    const backdrop = element('div', 'k')
    backdrop.onclick = on.close
    root.prepend(backdrop)
    card.setAttribute('role', 'dialog')
    card.setAttribute('aria-modal', 'true')
    const previous = document.activeElement as HTMLElement | null
    // Capture phase on the document: the page's own key handlers cannot swallow the keys first.
    // Only keys aimed at the offer (focus inside its shadow root, retargeted to the host): a
    // dialog the page opens over it handles its own Escape and Tab.
    // A key is known by its `key` or, failing that, its `code`: WebKitGTK reports Shift+Tab as key
    // "Unidentified", code "Tab" (https://github.com/marijnh/w3c-keyname/issues/13; seen in 2.50).
    const trap = (event: KeyboardEvent) => {
      const is = (name: string) => event.key === name || event.code === name
      if (event.target !== root.host) return
      if (is('Escape')) on.close()
      if (is('Tab')) {
        event.preventDefault()
        ;(root.activeElement === accept ? close! : accept).focus()
      }
    }
    document.addEventListener('keydown', trap, true)
    accept.focus()
    return () => {
      document.removeEventListener('keydown', trap, true)
      previous?.focus()
    }
  },
}
