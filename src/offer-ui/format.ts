import type { Format } from '../types.ts'

/** What an offer shows: the look's checked texts and accent, defaults where it gave none. */
export interface OfferView {
  format: Format
  title: string
  text: string
  button: string
  /** A `#rgb` or `#rrggbb` colour. */
  accent: string
}

/** The skeleton every format starts from, built once by `drawCard`. */
export interface OfferParts {
  root: ShadowRoot
  /** The card: title, text, accept and (but for `embedded`) close. */
  card: HTMLElement
  accept: HTMLButtonElement
  close: HTMLButtonElement | undefined
  view: OfferView
  on: { accept(): void; close(): void }
}

/** One format: its CSS (after the shared sheet) and, where CSS is not enough, its behaviour. */
export interface FormatStyle {
  css: string
  /** Runs once the host is in the page; may add elements to `root`. Returns what `remove()` must undo. */
  setup?(parts: OfferParts): (() => void) | void
}

/** The only way offer DOM is made: text goes in as text, never parsed as HTML. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  node.textContent = text
  return node
}
