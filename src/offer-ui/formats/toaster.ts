import type { FormatStyle } from '../format.ts'

/** A card that slides up into the bottom-right corner (bottom-left, right to left). */
export const toaster: FormatStyle = {
  css: `:host{right:16px!important;bottom:16px!important;width:min(360px,calc(100vw - 32px))!important}
:host([dir=rtl]){right:auto!important;left:16px!important}
.b{--lp-from:translateY(calc(100% + 16px))}`,
}
