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
 * The pre-load `window.lpTag` as it is now: the tag extends that same object (`lpTag.debug`
 * becomes a method), so its fields are copied before that. Getters that throw: the object itself,
 * read field by field later.
 */
export function copyPreload(preload: unknown): Record<string, unknown> | undefined {
  if (!preload || typeof preload !== 'object') return undefined
  try {
    return Object.fromEntries(Object.entries(preload))
  } catch {
    return preload as Record<string, unknown>
  }
}

/**
 * Everything `resolveConfig` reads, from the page as it is now (without `doc`: from the script and
 * the pre-load object alone). `script` is the running script;
 * `preload` is `copyPreload`'s copy. The page-element source is the first non-script
 * `[data-lp-account]`, or, when the running script is unknown (run by a loader, from a shadow tree
 * or as a module), the last `script[data-lp-account]`: which script ran cannot be told then, so it
 * counts as page content (page content may hold inert markup nobody on the brand's side wrote).
 * A relative catalog URL resolves against the document's own URL: neither a `<base>` in page
 * content nor an element named `baseURI` (DOM clobbering) can point it elsewhere.
 */
export function readRawConfig(doc: Document | undefined, script: HTMLScriptElement | null, preload: Record<string, unknown> | undefined): RawConfig {
  const raw: RawConfig = { script: attrs(script), baseUrl: location.href }
  if (preload) raw.preload = preload
  if (doc)
    try {
      raw.element = attrs(doc.querySelector('[data-lp-account]:not(script)') ?? (script ? null : [...doc.querySelectorAll('script[data-lp-account]')].pop()))
      raw.pageSections = Array.from(doc.querySelectorAll('[data-lp-section]'), (e) => e.getAttribute('data-lp-section')!)
    } catch {}
  return raw
}
