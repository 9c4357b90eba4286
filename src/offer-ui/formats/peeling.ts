import { element, type FormatStyle } from '../format.ts'

// Closed, only the top-right 80 px square of the card is drawn (clip-path also stops taps there):
// the folded corner, the flap's back on the lower-left half, the accent under it. Hover or
// keyboard focus on any control (:focus-within) grows the clip to the whole card, shadow included,
// while the flap swells and fades as it peels away. On touch screens a tap on the corner hovers it
// (the pointer cursor marks it clickable, which iOS wants before it applies :hover on a tap).
// A speech bubble on the accent says what the corner is before anyone hovers it; it fades with the flap.
// Right to left, all of it mirrors into the top-left corner: the corner and the bubble's tail by
// their logical insets and radius, the clip, the flap's fold and its origin by the rules for `dir=rtl`.
/** A folded page corner in the top-right (top-left, right to left) that peels open into the offer. */
export const peeling: FormatStyle = {
  css: `:host{top:0!important;right:0!important;width:min(340px,100vw)!important}
:host([dir=rtl]){right:auto!important;left:0!important}
.b{border-end-start-radius:16px;padding-top:28px;clip-path:polygon(calc(100% - 80px) 0,100% 0,100% 80px,calc(100% - 80px) 80px)}
.b:hover,.b:focus-within{clip-path:polygon(-40px 0,100% 0,100% calc(100% + 40px),-40px calc(100% + 40px))}
:host([dir=rtl]) .b{clip-path:polygon(0 0,80px 0,80px 80px,0 80px)}
:host([dir=rtl]) .b:hover,:host([dir=rtl]) .b:focus-within{clip-path:polygon(0 0,calc(100% + 40px) 0,calc(100% + 40px) calc(100% + 40px),0 calc(100% + 40px))}
.b::after{content:"";position:absolute;top:0;inset-inline-end:0;width:80px;height:80px;background:linear-gradient(45deg,#c9ced6,#fff 45%,#0000004d 50%,var(--lp-accent) 50%);transform-origin:100% 0;transition:.3s;cursor:pointer}
:host([dir=rtl]) .b::after{background:linear-gradient(-45deg,#c9ced6,#fff 45%,#0000004d 50%,var(--lp-accent) 50%);transform-origin:0 0}
.b:hover::after,.b:focus-within::after{transform:scale(4);opacity:0;visibility:hidden}
.q{position:absolute;z-index:1;top:14px;inset-inline-end:12px;width:24px;height:18px;border-radius:6px;background:var(--lp-on);pointer-events:none;transition:.3s}
.q::after{content:"";position:absolute;inset-inline-start:4px;bottom:-5px;border:5px solid;border-color:var(--lp-on) #0000 #0000 var(--lp-on)}
:host([dir=rtl]) .q::after{border-color:var(--lp-on) var(--lp-on) #0000 #0000}
.b:hover .q,.b:focus-within .q{opacity:0;visibility:hidden}`,
  setup({ card, view }) {
    const cue = element('span', 'q')
    cue.setAttribute('role', 'img')
    cue.setAttribute('aria-label', view.cue)
    card.append(cue)
  },
}
