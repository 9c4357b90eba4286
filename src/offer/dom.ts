import type { OfferView } from './render.ts'

/** What the visitor's decision calls (the lifecycle publishes the events). */
export interface OfferHandlers {
  accept(): void
  close(): void
}

/** The skeleton every format starts from, built once by `renderOffer`. */
export interface OfferParts {
  root: ShadowRoot
  /** The card: title, text, accept and (but for `embedded`) close. */
  card: HTMLElement
  accept: HTMLButtonElement
  close: HTMLButtonElement | undefined
  view: OfferView
  on: OfferHandlers
}

/** One format: its CSS (after the shared sheet) and, where CSS is not enough, its behaviour. */
export interface FormatLook {
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
