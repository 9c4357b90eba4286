/** Reads the raw configuration from the page for `resolveConfig`; never throws. */
import type { RawConfig } from './resolve.ts'

/** The data-lp-* attributes of `el`, trimmed (none when there is no `el`). */
const attrs = (el: Element | null | undefined) => {
  const o: Record<string, string> = {}
  if (el)
    try {
      for (const a of el.attributes) if (!a.name.indexOf('data-lp-')) o[a.name] = a.value.trim()
    } catch {}
  return o
}

/**
 * `document.currentScript`, read through `Document.prototype`: page markup such as
 * `<img name="currentScript">` shadows it on `document` itself (DOM clobbering).
 */
export function runningScript(doc: Document): HTMLScriptElement | null {
  try {
    const script = Reflect.get(Document.prototype, 'currentScript', doc)
    if (script instanceof HTMLScriptElement) return script
  } catch {}
  return null
}

/**
 * The tag's own script: the running one, else (run from a shadow tree or a loader) the last
 * `script[src][data-lp-account]` the browser runs: no `type`, or a JavaScript one (a `text/plain`
 * decoy is none).
 */
export function findOwnScript(doc: Document, running: HTMLScriptElement | null): HTMLScriptElement | null {
  if (running) return running
  try {
    return [...doc.querySelectorAll<HTMLScriptElement>('script[src][data-lp-account]:not([type]:not([type$=script i]))')].pop() || null
  } catch {
    return null
  }
}

/**
 * `file` beside the running script, fixed while it runs: from its absolute `src`, and only when
 * that `src` resolves the same without any `<base>` (page content may add one later). Otherwise
 * undefined: the tag cannot tell where it came from, so it loads nothing from there.
 */
export function besideScript(script: HTMLScriptElement | null, file: string): string | undefined {
  const src = script?.src
  try {
    // `data:` and `blob:` sources have no directory: `new URL` throws.
    if (src && new URL(script.getAttribute('src')!, location.href).href == src) return new URL(file, src).href
  } catch {}
  return
}

/**
 * The pre-load `window.lpTag` as it is now: the tag extends that same object (`lpTag.debug`
 * becomes a method), so its fields are copied before that. Getters that throw: the object itself,
 * read field by field later.
 */
export function copyPreload(preload: unknown): Record<string, unknown> | undefined {
  if (!preload || typeof preload != 'object') return undefined
  try {
    return Object.fromEntries(Object.entries(preload))
  } catch {
    return preload as Record<string, unknown>
  }
}

/**
 * Everything `resolveConfig` reads, from the page as it is now. `preload` is `copyPreload`'s copy.
 * A relative catalog URL resolves against the document's own URL: neither a `<base>` in page
 * content nor an element named `baseURI` (DOM clobbering) can point it elsewhere.
 */
export function readRawConfig(doc: Document, script: HTMLScriptElement | null, preload: Record<string, unknown> | undefined): RawConfig {
  const raw: RawConfig = { script: attrs(script), baseUrl: '' }
  if (preload) raw.preload = preload
  try {
    raw.element = attrs(doc.querySelector('[data-lp-account]:not(script)'))
    raw.pageSections = Array.from(doc.querySelectorAll('[data-lp-section]'), (e) => e.getAttribute('data-lp-section')!)
    raw.baseUrl = location.href
  } catch {}
  return raw
}
