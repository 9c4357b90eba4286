import type { FormatStyle } from '../format.ts'

/** A card that slides up into the bottom-right corner. */
export const toaster: FormatStyle = {
  css: `:host{right:16px!important;bottom:16px!important;width:min(360px,calc(100vw - 32px))!important}
.b{--lp-from:translateY(calc(100% + 16px))}`,
}
