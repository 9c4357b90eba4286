import type { FormatLook } from '../dom.ts'

/** A card that slides up into the bottom-right corner. */
export const toaster: FormatLook = {
  css: `:host{right:16px!important;bottom:16px!important;width:min(360px,calc(100vw - 32px))!important}
.b{--lp-from:translateY(calc(100% + 16px))}`,
}
