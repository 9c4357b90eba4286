import type { CreateLifecycle } from '../offer/context.ts'
import type { OfferUi } from '../offer/ui.ts'
import { dict } from './checks.ts'

/** The offer's two parts: its lifecycle (every page that gets offers) and its UI (pages that draw them). */
export interface Chunks {
  /** Fetches them ahead, at low priority, once the first engagement request has left. */
  prefetch(draw: boolean): void
  offer(): Promise<CreateLifecycle | undefined>
  ui(): Promise<OfferUi | undefined>
}

/** What each chunk hands over, by name. */
interface Handed {
  offer: CreateLifecycle
  ui: OfferUi
}

/**
 * `tag.js`'s chunks, beside its own script (URLs fixed when it was evaluated; none when its script
 * could not be identified), loaded by `load` once each, each handing itself over through
 * `lpTag._lp(name, module)` as it runs. Where one cannot load (not found, other bytes than this
 * build's, blocked by the CSP) it gives undefined and one console line says why; the next offer
 * tries again.
 */
export function chunksBeside(lpTag: object, urls: { offer?: string; ui?: string }, load: (url: string, low?: boolean) => Promise<void>): Chunks {
  const pending: { [K in keyof Handed]?: Promise<Handed[K] | undefined> } = {}
  const handers: { [K in keyof Handed]?: (module: Handed[K]) => void } = {}
  // A sealed pre-load object takes no hand-over: no offer then, the rest of the tag as usual.
  try {
    Object.defineProperty(lpTag, '_lp', dict({ value: <K extends keyof Handed>(name: K, module: Handed[K]) => handers[name]?.(module), configurable: true }))
  } catch {}
  // One console line for the page, whichever chunk fails and however often.
  let told = false
  const get = <K extends keyof Handed>(name: K, low?: boolean): Promise<Handed[K] | undefined> => {
    const url = urls[name]
    return ((pending[name] as Promise<Handed[K] | undefined> | undefined) ??= url
      ? new Promise<Handed[K]>((resolve, reject) => {
          handers[name] = resolve as (typeof handers)[K]
          // The chunk ran before its `load` event: still nothing handed over means it is not the chunk.
          load(url, low).then(() => reject(new Error('it is not the offer chunk')), reject)
        }).catch((error: unknown) => {
          pending[name] = undefined
          if (!told) console.error(`[lpTag] offers cannot be drawn: ${url} did not load (${error}): not found, not this build's bytes (integrity; the CDN must send Access-Control-Allow-Origin), or blocked by the CSP (it needs script-src ${new URL(url).origin} and trusted-types lp-tag); or use tag.full.js`)
          told = true
          return undefined
        })
      : Promise.resolve(void console.error('[lpTag] offers cannot be drawn: tag.js must come from a <script> with an absolute src, or use tag.full.js') as undefined))
  }
  return {
    prefetch(draw) {
      if (!urls.offer) return
      void get('offer', true)
      if (draw) void get('ui', true)
    },
    offer: () => get('offer'),
    ui: () => get('ui'),
  }
}
