import { dict } from './checks.ts'

/**
 * A member of `document` read through `Document.prototype`. Page content can shadow members of
 * `document` by name (DOM clobbering: `<img name="body">`, `<form name="currentScript">`); the
 * prototype's getters cannot be shadowed. Used for what the tag must get right: its running
 * script, where it puts what it adds, and whether the page is visible.
 */
export const documentMember = <K extends 'currentScript' | 'body' | 'documentElement' | 'head' | 'visibilityState'>(name: K, doc: Document = document): Document[K] | undefined => {
  try {
    return Reflect.get(Document.prototype, name, doc)
  } catch {}
  return
}

/** Whether the page is hidden (a background tab, a minimised window), read past DOM clobbering. */
export const pageHidden = (): boolean => documentMember('visibilityState') === 'hidden'

/** `<html lang>` when it has a BCP 47 shape of at most 35 characters, else undefined. */
export const pageLanguage = (doc?: Document): string | undefined => {
  const lang = documentMember('documentElement', doc)?.lang
  return typeof lang === 'string' && lang.length < 36 && /^[a-z]{2,8}(-[a-z\d]{1,8})*$/i.test(lang) ? lang : undefined
}

/** The script element running now: the tag's own, while its top-level code runs. */
export function runningScript(doc: Document): HTMLScriptElement | null {
  const script = documentMember('currentScript', doc)
  return script instanceof HTMLScriptElement ? script : null
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
    if (src && new URL(script.getAttribute('src')!, location.href).href === src) return new URL(file, src).href
  } catch {}
  return
}

interface Policy {
  createScriptURL(url: string): unknown
}

/**
 * The one way the tag sets a script URL: only the URLs fixed at evaluation (`allowed`, each with the
 * Subresource Integrity hash of its build), through a Trusted Types policy named `lp-tag`, made on
 * first use, that lets exactly those through (its rules have no prototype, so a polluted
 * `createHTML` cannot widen it). The browser runs only the bytes of this build (`integrity`, in a
 * CORS request: a CDN sends `Access-Control-Allow-Origin`). Resolves once the script ran; rejects
 * when it is refused, missing or other bytes (a later call may try again).
 */
export function scriptLoader(allowed: [url: string | undefined, integrity: string][]) {
  let policy: Policy | Error | undefined
  const known = (url: string) => allowed.find(([each]) => each === url)
  return (url: string, low?: boolean) =>
    new Promise<void>((resolve, reject) => {
      const tt = (window as { trustedTypes?: { createPolicy?(name: string, rules: object): Policy } }).trustedTypes
      // Refused once (`trusted-types` without lp-tag), refused for the page: the browser's violation
      // report and console line come once, not on every later load.
      try {
        policy ??= tt?.createPolicy?.('lp-tag', dict({ createScriptURL: (each: string) => (known(each) ? each : '') }))
      } catch (error) {
        policy = error as Error
      }
      if (policy instanceof Error) throw policy
      const script = document.createElement('script')
      script.integrity = known(url)?.[1] ?? 'sha256-'
      script.crossOrigin = 'anonymous'
      script.src = (policy ? policy.createScriptURL(url) : url) as string
      // The page's URL (its query string included) is not the script host's business.
      script.referrerPolicy = 'strict-origin'
      // Fetched ahead (the offer chunks once the request has left): after what the page needs.
      if (low) script.fetchPriority = 'low'
      script.onload = () => resolve()
      script.onerror = () => (script.remove(), reject(new Error('blocked or not found')))
      documentMember('head')!.append(script)
    })
}
