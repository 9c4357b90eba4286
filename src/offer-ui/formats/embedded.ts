import type { FormatStyle } from '../format.ts'

/** A card in the page's own flow, inside its zone element: no close, no fixed position, no z-index. */
export const embedded: FormatStyle = {
  css: `:host{position:static!important;z-index:auto!important;max-width:560px!important}
.b{box-shadow:0 0 0 1px #c9ced6;padding-inline-end:20px}`,
}
