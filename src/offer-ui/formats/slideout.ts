import { element, type FormatStyle } from '../format.ts'

// The host's box is the tab (the card is positioned off it), so a closed slideout takes taps on the tab
// only, and the impression counts the tab the visitor sees. A hidden card's controls are not
// focusable (visibility), so Tab goes tab → accept → close only once it is open. A long title is
// cut short on the tab (its accessible name stays whole) and shown in full on the card; open, the
// tab reads "Hide" and folds the card back (so is Escape), the offer staying. The card
// turns visible at once on opening (and hidden only after sliding back): a `visibility` transition
// keeps it hidden for the first frame, and a Tab pressed right after Enter would skip it (seen
// in Firefox 153, where focus then left the page).
/** An edge tab on the right (the left, right to left); activating it slides the card out beside it. */
export const slideout: FormatStyle = {
  css: `:host{right:0!important;bottom:96px!important}
:host([dir=rtl]){right:auto!important;left:0!important}
.o{display:block;position:relative;z-index:1;writing-mode:vertical-rl;transform:rotate(180deg);max-height:min(240px,50vh);overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:16px 10px;border-radius:0 8px 8px 0;background:var(--lp-accent);color:var(--lp-on);box-shadow:0 4px 16px #0003}
:host([dir=rtl]) .o{border-radius:8px 0 0 8px}
.b{position:absolute;inset-inline-end:100%;bottom:0;width:min(320px,calc(100vw - 56px));visibility:hidden;opacity:0;transform:translateX(100%);transition:.3s,visibility 0s .3s}
:host([dir=rtl]) .b{transform:translateX(-100%)}
[aria-expanded=true]+.b,:host([dir=rtl]) [aria-expanded=true]+.b{visibility:visible;opacity:1;transform:none;transition:.3s,visibility 0s}`,
  setup({ root, view }) {
    const tab = element('button', 'o')
    // Open, the card shows the title: the tab says how to fold it back (without declining) instead.
    const expanded = (open: boolean) => {
      tab.setAttribute('aria-expanded', String(open))
      tab.replaceChildren(element('bdi', '', open ? view.hide : view.title))
    }
    expanded(false)
    tab.onclick = () => expanded(tab.getAttribute('aria-expanded') === 'false')
    // Escape folds it back too, focus returning to the tab.
    root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key !== 'Escape' || tab.getAttribute('aria-expanded') === 'false') return
      expanded(false)
      tab.focus()
    })
    root.prepend(tab)
  },
}
