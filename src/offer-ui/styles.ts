/** A constructable stylesheet: the only way offers get CSS, so a strict CSP (no 'unsafe-inline') holds. */
export function sheet(css: string): CSSStyleSheet {
  const result = new CSSStyleSheet()
  result.replaceSync(css)
  return result
}

// The host resets everything the page could set on it (`all: initial`) with `!important`: inside a
// shadow tree, an important :host declaration beats the page's important ones, and the host is
// the only element page CSS can reach. Each later :host declaration needs `!important` to beat
// that `all`. The host lets taps through; only its drawn parts take them (narrow screens).
// `--lp-from` is where a format's box comes in from (@starting-style: older browsers just show it).
// Colours come from the theme's custom properties (`themeCss`), which `all` does not reset.
// Inside the card, logical properties (`padding-inline`, `inset-inline-end`) follow the host's `dir`
// (`all` leaves `direction` alone): the close control and the padding mirror by themselves. Where a
// format places its host on the page, `:host([dir=rtl])` mirrors it: the viewport's direction is
// the page's, not the offer's.
const SHARED_CSS = `:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;pointer-events:none!important;font:15px/1.45 system-ui,sans-serif!important;color:var(--lp-fg)!important}
:host>*{pointer-events:auto}
*{box-sizing:border-box;margin:0;font:inherit;color:inherit}
.b{position:relative;background:var(--lp-bg);border-radius:12px;box-shadow:0 8px 28px #0003,0 0 0 1px #0000001a;padding:18px 48px 18px 20px;padding-inline:20px 48px;transition:.3s}
@starting-style{.b{transform:var(--lp-from);opacity:0}}
.t{font-weight:700;font-size:17px}
.x{margin:4px 0 14px;color:var(--lp-muted)}
.g{display:flex;align-items:center;gap:10px;margin-bottom:8px;font-size:13px;font-weight:600;color:var(--lp-muted)}
.v{width:36px;height:36px;border-radius:50%;object-fit:cover;background:var(--lp-h)}
button{border:0;border-radius:8px;background:none;cursor:pointer;font-weight:600}
button bdi{pointer-events:none}
.a{min-height:44px;padding:0 18px;background:var(--lp-accent);color:var(--lp-on)}
.a:hover{text-decoration:underline}
.c{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;font-size:22px;line-height:1;color:var(--lp-muted)}
.c:hover{background:var(--lp-h)}
:focus-visible{outline:2px solid var(--lp-fg);outline-offset:2px;box-shadow:0 0 0 4px var(--lp-bg)}
@media(prefers-reduced-motion:reduce){*,::after{transition:none!important}}`

let shared: CSSStyleSheet | undefined

/** The CSS every offer shares: one sheet for the page, made on the first offer. */
export const sharedSheet = (): CSSStyleSheet => (shared ??= sheet(SHARED_CSS))

/** WCAG 2.x relative luminance of `#rgb` or `#rrggbb`. */
function luminance(hex: string): number {
  const full = hex.length < 5 ? hex.replace(/\w/g, '$&$&') : hex
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => {
    const channel = parseInt(full.slice(at, at + 2), 16) / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export const contrast = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/**
 * Black or white, whichever contrasts more with `hex`: black gives (L + .05) / .05, white
 * 1.05 / (L + .05), so black wins when (L + .05)² > .0525; the winner is always at least 4.58:1,
 * above AA's 4.5:1.
 */
export const readableOn = (hex: string): '#000' | '#fff' => ((luminance(hex) + 0.05) ** 2 > 0.0525 ? '#000' : '#fff')

export const DEFAULT_ACCENT = '#0b63ce'
export const DARK_CARD = '#24292f'
/**
 * Below this contrast with the card an accent cannot be told from it (white on white). Not WCAG's
 * 3:1 for controls: the button's label keeps 4.5:1 on any accent, and a brand's yellow stays hers.
 */
export const SEEN = 1.5

/** A theme's colours as the custom properties the CSS reads; `!important` beats the page's. */
const colours = (values: string[], accent: string) =>
  ['bg', 'fg', 'muted', 'h', 'accent', 'on'].map((name, i) => `--lp-${name}:${[...values, accent, readableOn(accent)][i]}!important`).join(';')

/**
 * The offer's colours: the light card, the dark one, or the light one that turns dark with
 * `prefers-color-scheme: dark`. There an accent the dark card would hide gives way to the default
 * (`viewOf` checked it on the card the theme starts with).
 */
export function themeCss(theme: 'light' | 'dark' | 'auto', accent: string): string {
  const light = `:host{${colours(['#fff', '#1b1f24', '#3d4551', '#eef0f3'], accent)}}`
  const dark = `:host{${colours([DARK_CARD, '#f0f3f6', '#c9d1d9', '#32383f'], contrast(accent, DARK_CARD) < SEEN ? DEFAULT_ACCENT : accent)}}`
  return theme === 'light' ? light : theme === 'dark' ? dark : `${light}@media(prefers-color-scheme:dark){${dark}}`
}
