import type { Format, TagError } from '../types.ts'

/** Why an offer cannot be drawn on this page: `LP_TAG`/`ERROR` data. */
export interface Unable extends TagError {
  code: 'zone' | 'render'
}

/** What the lifecycle gives the offer UI to draw one offer, and hears back. */
export interface Drawing {
  /** The engagement id, for the host element's `data-lp-engagement`. */
  id_: string
  /**
   * The look as the catalog, then a hook, gave it, each with where a console line about a wrong
   * field says it came from: the UI checks texts and accent itself; a later valid field wins.
   */
  looks_: [from: string, look: unknown][]
  /** The engagement's language (`language` of the answer), whose words and direction come first. */
  language_?: string
  accept_(): void
  close_(): void
  /** At least half of the offer inside the viewport of a visible document: once. */
  seen_(): void
  /** The page took the offer out of the DOM. */
  removed_(): void
}

/** A drawn offer: its host element in the page, and how to take it out. */
export interface Drawn {
  host_: HTMLElement
  remove_(): void
}

/** Where an offer of that format and zone goes: it can be drawn there now, once. */
export interface Place {
  draw_(drawing: Drawing): Drawn
}

/**
 * The offer UI (render, six formats, CSS, look checks): `dist/offer-ui.<hash>.js`, loaded only
 * where offers are drawn, or built into `dist/tag.full.js`.
 */
export interface OfferUi {
  /** The place for an offer of `format` (in its zone, for `embedded`), or why there is none. */
  place_(format: Format, zone: string | undefined): Place | Unable
}
