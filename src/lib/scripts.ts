/**
 * The only scripts the tag ever loads: `debug.js` and its offer chunks, beside its own script.
 * Their URLs are fixed once, while the tag's own script runs, from that script's absolute `src`
 * (never from the page's URL, a later `<base>` or an element the page could fake); each goes with
 * the Subresource Integrity hash of its build, through a Trusted Types policy named `lp-tag` that
 * lets exactly those URLs through.
 */
import type { CreateLifecycle } from '../offer/context.ts'
import type { OfferUi } from '../offer/ui.ts'
import { dict } from './checks.ts'
import { documentMember } from './page.ts'

/** A script the tag may load: its file beside `tag.js` and its integrity hash. */
export type Script = [file: string, integrity: string]

/** The offer's two parts: its lifecycle (every page that gets offers) and its UI (pages that draw them). */
export interface Chunks {
  /** Fetches them ahead, at low priority, once the first engagement request has left. */
  prefetch_(draw: boolean): void
  offer_(): Promise<CreateLifecycle | undefined>
  ui_(): Promise<OfferUi | undefined>
}

/** Loads script `name` (`low`: after what the page needs): resolves once it ran; rejects, saying why, when it cannot. */
export type Load = (name: string, low?: boolean) => Promise<void>

/** The script element running now: the tag's own, while its top-level code runs. */
export function runningScript(doc: Document): HTMLScriptElement | null {
  const script = documentMember('currentScript', doc)
  return script instanceof HTMLScriptElement ? script : null
}

interface Policy {
  createScriptURL(url: string): unknown
}

/**
 * The loader of `scripts`, by name, beside `script` (the tag's own): only when its `src` resolves
 * the same without any `<base>` (page content may add one later); otherwise the tag cannot tell
 * where it came from, and loads nothing.
 */
export function scriptLoader(script: HTMLScriptElement | null, scripts: Record<string, Script>): Load {
  const src = script?.src
  const urls: Record<string, [string, string]> = dict({})
  try {
    // `data:` and `blob:` sources have no directory: `new URL` throws.
    if (src && new URL(script.getAttribute('src')!, location.href).href === src) for (const [name, [file, integrity]] of Object.entries(scripts)) urls[name] = [new URL(file, src).href, integrity]
  } catch {}
  let policy: Policy | Error | undefined
  return (name, low) =>
    new Promise<void>((resolve, reject) => {
      const [url, integrity] = urls[name] ?? []
      if (!url) throw new Error('tag.js must come from a <script> with an absolute src')
      const fail = (error: unknown = 'blocked or not found') =>
        reject(new Error(`${url} did not load (${error}): not found, not this build's bytes (integrity; the CDN must send Access-Control-Allow-Origin), or blocked by the CSP (it needs script-src ${new URL(url).origin} and trusted-types lp-tag)`))
      // Refused once (`trusted-types` without lp-tag), refused for the page: the browser's violation
      // comes once, not on every later load.
      try {
        // Where the browser has no Trusted Types, page content can name an element `trustedTypes`
        // (window's named access): that is no policy factory.
        const factory = (window as { trustedTypes?: { createPolicy(name: string, rules: object): Policy } }).trustedTypes
        if (typeof factory?.createPolicy === 'function' && !(factory instanceof Node))
          policy ??= factory.createPolicy('lp-tag', dict({ createScriptURL: (each: string) => (Object.values(urls).some(([known]) => known === each) ? each : '') }))
      } catch (error) {
        policy = error as Error
      }
      if (policy instanceof Error) return fail(policy)
      const element = document.createElement('script')
      element.integrity = integrity!
      element.crossOrigin = 'anonymous'
      element.src = (policy ? policy.createScriptURL(url) : url) as string
      // The page's URL (its query string included) is not the script host's business.
      element.referrerPolicy = 'strict-origin'
      if (low) element.fetchPriority = 'low'
      element.onload = () => resolve()
      element.onerror = () => (element.remove(), fail())
      documentMember('head')!.append(element)
    })
}

/**
 * `tag.js`'s chunks, loaded once each (`offer`, `ui`), each handing itself over through
 * `lpTag._lp(name, module)` as it runs. Where one cannot load, it gives undefined and one console
 * line (for the page) says why; the next offer tries again.
 */
export function chunksBeside(lpTag: object, load: Load): Chunks {
  const pending: Record<string, Promise<any> | undefined> = dict({})
  const handers: Record<string, (module: unknown) => void> = dict({})
  let told = false
  // A sealed pre-load object takes no hand-over: no offer then, the rest of the tag as usual.
  try {
    Object.defineProperty(lpTag, '_lp', dict({ value: (name: string, module: unknown) => handers[name]?.(module), configurable: true }))
  } catch {}
  const get = (name: string, low?: boolean) =>
    (pending[name] ??= new Promise((resolve, reject) => {
      handers[name] = resolve
      // The chunk ran before its `load` event: still nothing handed over means it is not the chunk.
      load(name, low).then(() => reject(new Error('it is not the offer chunk')), reject)
    }).catch((error: Error) => {
      pending[name] = undefined
      if (!told) console.error(`[lpTag] offers cannot be drawn: ${error.message}; or use tag.full.js`)
      told = true
    }))
  return {
    prefetch_(draw) {
      void get('offer', true)
      if (draw) void get('ui', true)
    },
    offer_: () => get('offer'),
    ui_: () => get('ui'),
  }
}
