/** Reads the raw configuration from the page for `resolveConfig`; never throws. */
import type { RawConfig } from './resolve.ts'

/** The data-lp-* attributes of `el` (none when `el` is null). */
const attrs = (el: Element | null) => {
  const o: Record<string, string> = {}
  try {
    for (const a of el!.attributes) if (!a.name.indexOf('data-lp-')) o[a.name] = a.value
  } catch {}
  return o
}

/** `document.currentScript` when it is an HTML script, else the last `script[data-lp-account]`. */
export function findOwnScript(doc: Document): HTMLScriptElement | null {
  try {
    const s = doc.currentScript
    return s instanceof HTMLScriptElement ? s : [...doc.querySelectorAll<HTMLScriptElement>('script[data-lp-account]')].pop() || null
  } catch {
    return null
  }
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

/** Everything `resolveConfig` reads, from the page as it is now. */
export function readRawConfig(doc: Document, script: HTMLScriptElement | null, preload: unknown): RawConfig {
  const raw: RawConfig = { script: attrs(script), baseUrl: '' }
  const copy = copyPreload(preload)
  if (copy) raw.preload = copy
  try {
    raw.element = attrs(doc.querySelector('[data-lp-account]:not(script)'))
    raw.pageSections = Array.from(doc.querySelectorAll('[data-lp-section]'), (e) => e.getAttribute('data-lp-section')!)
    raw.baseUrl = doc.baseURI
  } catch {}
  return raw
}
