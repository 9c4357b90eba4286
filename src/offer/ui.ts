import { dict } from '../lib/checks.ts'
import type { Format, TagError } from '../types.ts'

/** Why an offer cannot be drawn on this page: `LP_TAG`/`ERROR` data. */
export interface Unable extends TagError {
  code: 'zone' | 'render'
}

/** What the lifecycle gives the offer UI to draw one offer, and hears back. */
export interface Drawing {
  /** The engagement id, for the host element's `data-lp-engagement`. */
  id: string
  /**
   * The look as the catalog, then a hook, gave it, each with where a console line about a wrong
   * field says it came from: the UI checks texts and accent itself; a later valid field wins.
   */
  looks: [from: string, look: unknown][]
  accept(): void
  close(): void
  /** At least half of the offer inside the viewport of a visible document: once. */
  seen(): void
  /** The page took the offer out of the DOM. */
  removed(): void
}

/** A drawn offer: its host element in the page, and how to take it out. */
export interface Drawn {
  host: HTMLElement
  remove(): void
}

/** Where an offer of that format and zone goes: it can be drawn there now, once. */
export interface Place {
  draw(drawing: Drawing): Drawn
}

/**
 * The offer UI (render, six formats, CSS, look checks): `dist/offer-ui.<hash>.js`, loaded only
 * when an offer may be drawn, or built into `dist/tag.full.js`.
 */
export interface OfferUi {
  /** The place for an offer of `format` (in its zone, for `embedded`), or why there is none. */
  place(format: Format, zone: string | undefined): Place | Unable
}

/**
 * The offer UI chunk at `url` (fixed when the tag was evaluated), loaded by `load` once and handing
 * itself over through `lpTag._ui` as it runs. Where it cannot load (blocked by the CSP, not found,
 * no `url`) the promise gives undefined and one console line says why; the next offer tries again.
 */
export function uiFromChunk(lpTag: object, url: string | undefined, load: (url: string) => Promise<void>): () => Promise<OfferUi | undefined> {
  let ui: Promise<OfferUi | undefined> | undefined
  const fetchUi = (url: string) =>
    new Promise<OfferUi | undefined>((resolve, reject) => {
      Object.defineProperty(lpTag, '_ui', dict({ value: resolve, configurable: true }))
      // The chunk ran before its `load` event: still nothing handed over means it is not the offer UI.
      load(url).then(() => reject(new Error('it is not the offer UI')), reject)
    }).catch((error: unknown) => {
      // The next offer tries again (the network came back, the CSP was fixed).
      ui = undefined
      console.error(`[lpTag] offers cannot be drawn: ${url} did not load (${error}): not found, not this build's bytes (integrity; the CDN must send Access-Control-Allow-Origin), or blocked by the CSP (it needs script-src ${new URL(url).origin} and trusted-types lp-tag); or use tag.full.js`)
      return undefined
    })
  return () =>
    (ui ??= url
      ? fetchUi(url)
      : Promise.resolve(void console.error('[lpTag] offers cannot be drawn: tag.js must come from a <script> with an absolute src, or use tag.full.js') as undefined))
}
