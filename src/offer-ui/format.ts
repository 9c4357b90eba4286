import type { Format } from '../types.ts'

/** `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
export type Theme = 'light' | 'dark' | 'auto'

/** What an offer shows: the look's checked fields, defaults where it gave none. */
export interface OfferView {
  format: Format
  title: string
  text: string
  button: string
  /** A `#rgb` or `#rrggbb` colour that can be seen on the card. */
  accent: string
  theme: Theme
  /** The name line of the person the visitor would talk to. */
  agent?: string
  /** Their picture: an https URL (http only on localhost). */
  avatar?: string
  /** The close control's name, the open slide-out tab's text, the peeling corner's cue. */
  close: string
  hide: string
  cue: string
  /** Right to left: the page's or the engagement's language is written so; every format mirrors. */
  rtl: boolean
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

/**
 * An element with text the catalog or the API gave, direction-isolated (a `<bdi>`, `dir="auto"`):
 * an English title on a Hebrew page, or a Hebrew one on an English page, reads in its own
 * direction ("Questions about sizing?", not "?Questions about sizing"), while the element itself
 * keeps the card's side and alignment.
 */
export function isolated<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const node = element(tag, className)
  node.append(element('bdi', '', text))
  return node
}
