import type { FormatStyle } from '../format.ts'

/** A bar along the bottom edge, centred, that rises into place; it wraps on narrow screens. */
export const sticky: FormatStyle = {
  css: `:host{left:0!important;right:0!important;bottom:12px!important;margin:auto!important;width:min(760px,calc(100vw - 24px))!important}
.b{display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;padding:12px 20px;padding-inline-end:52px;--lp-from:translateY(150%)}
.x{margin:0;flex:1 1 200px}
.g{flex-basis:100%;margin:0}
.c{top:calc(50% - 16px)}`,
}
