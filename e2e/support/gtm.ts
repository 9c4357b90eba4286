import { readFileSync } from 'node:fs'

// A harness for the Google Tag Manager template (public/gtm/template.tpl): the template file read
// as GTM reads it, and the sandbox APIs its code uses, implemented as GTM documents them
// (developers.google.com/tag-platform/tag-manager/templates/api) and held to the template's own
// permissions, so a call the permissions do not allow fails here as it fails in GTM.

export const TEMPLATE_PATH = new URL('../../public/gtm/template.tpl', import.meta.url)

/** The template's sections by name (`___INFO___` → `INFO`), as GTM's import splits the file. */
export function templateSections(text = readFileSync(TEMPLATE_PATH, 'utf8')): Record<string, string> {
  const sections: Record<string, string> = {}
  const parts = text.split(/^___([A-Z_]+)___$/m)
  for (let i = 1; i < parts.length; i += 2) sections[parts[i]!] = parts[i + 1]!.replace(/^\n+|\n+$/g, '')
  return sections
}

type Value = { type: number; string?: string; boolean?: boolean; listItem?: Value[]; mapKey?: Value[]; mapValue?: Value[] }
type Permission = { instance: { key: { publicId: string }; param: { key: string; value: Value }[] } }

/** What the template is allowed, read from `___WEB_PERMISSIONS___`. */
export interface Allowed {
  globals: Record<string, { read: boolean; write: boolean; execute: boolean }>
  scripts: string[]
  consent: Record<string, { read: boolean; write: boolean }>
  /** Every permission's id, in the order the template lists them. */
  ids: string[]
}

const plain = (value: Value): unknown =>
  value.type === 1
    ? value.string
    : value.type === 8
      ? value.boolean
      : value.type === 2
        ? value.listItem!.map(plain)
        : Object.fromEntries(value.mapKey!.map((key, i) => [key.string, plain(value.mapValue![i]!)]))

export function allowedBy(permissionsJson: string): Allowed {
  const allowed: Allowed = { globals: {}, scripts: [], consent: {}, ids: [] }
  for (const { instance } of JSON.parse(permissionsJson) as Permission[]) {
    allowed.ids.push(instance.key.publicId)
    const params = Object.fromEntries(instance.param.map((param) => [param.key, plain(param.value)]))
    if (instance.key.publicId === 'access_globals')
      for (const { key, read, write, execute } of params.keys as { key: string; read: boolean; write: boolean; execute: boolean }[]) allowed.globals[key] = { read, write, execute }
    if (instance.key.publicId === 'inject_script') allowed.scripts = params.urls as string[]
    if (instance.key.publicId === 'access_consent')
      for (const { consentType, read, write } of params.consentTypes as { consentType: string; read: boolean; write: boolean }[]) allowed.consent[consentType] = { read, write }
  }
  return allowed
}

/** Consent mode as GTM keeps it: a type with no state counts as granted; listeners hear changes only. */
export interface ConsentMode {
  state: Record<string, 'granted' | 'denied'>
  listeners: [type: string, listener: (type: string, granted: boolean) => void][]
}

/**
 * The sandbox APIs the template requires, on `win` (the page's window, or a stand-in in Node).
 * Self-contained (no outside names) so that it can also run in a page (`page.addInitScript`).
 */
export function sandboxApis(win: any, allowed: Allowed, consent: ConsentMode): Record<string, (...args: any[]) => unknown> {
  const permitted = (kind: 'read' | 'write' | 'execute', key: string) => {
    if (!allowed.globals[key]?.[kind]) throw new Error(`Permission denied: access_globals ${kind} "${key}"`)
  }
  const consentRead = (type: string) => {
    if (!allowed.consent[type]?.read) throw new Error(`Permission denied: access_consent read "${type}"`)
  }
  /** The object holding the last part of a dotted key, and that part (undefined when a parent is missing). */
  const holder = (key: string): [any, string] | undefined => {
    const parts = key.split('.')
    let at = win
    for (const part of parts.slice(0, -1)) {
      at = at[part]
      if (at === null || (typeof at !== 'object' && typeof at !== 'function')) return undefined
    }
    return [at, parts[parts.length - 1]!]
  }
  // GTM URL patterns: an exact URL, or a prefix ending in `*`.
  const scriptAllowed = (url: string) => allowed.scripts.some((pattern) => (pattern.endsWith('*') ? url.startsWith(pattern.slice(0, -1)) : url === pattern))
  const injected: Record<string, { done?: boolean; failed?: boolean; waiting: [() => void, () => void][] }> = (win.__gtmInjected ??= {})
  return {
    setInWindow(key: string, value: unknown, overrideExisting = false) {
      permitted('write', key)
      const found = holder(key)
      if (!found || (!overrideExisting && found[0][found[1]] !== undefined)) return false
      // The page gets a copy: the sandbox's own object is not shared with it.
      found[0][found[1]] = value !== null && typeof value === 'object' ? structuredClone(value) : value
      return true
    },
    copyFromWindow(key: string) {
      permitted('read', key)
      const found = holder(key)
      const value = found?.[0][found[1]]
      // A copy, as the sandbox gets: functions and other native objects do not cross.
      return value === undefined || typeof value === 'function' ? undefined : JSON.parse(JSON.stringify(value))
    },
    callInWindow(key: string, ...args: unknown[]) {
      permitted('execute', key)
      const found = holder(key)
      const fn = found?.[0][found[1]]
      return typeof fn === 'function' ? fn.apply(found![0], args) : undefined
    },
    injectScript(url: string, onSuccess: () => void, onFailure: () => void, cacheToken?: string) {
      if (!scriptAllowed(url)) throw new Error(`Permission denied: inject_script "${url}"`)
      const key = cacheToken ?? url
      const entry = injected[key]
      if (entry) {
        // The same token: the script is not added again; the callbacks run when it has loaded.
        if (entry.done) onSuccess?.()
        else if (entry.failed) onFailure?.()
        else entry.waiting.push([onSuccess, onFailure])
        return
      }
      const record = (injected[key] = { waiting: [[onSuccess, onFailure]] as [() => void, () => void][] } as (typeof injected)[string])
      if (!win.document) return
      const script = win.document.createElement('script')
      script.async = true
      script.src = url
      script.onload = () => {
        record.done = true
        for (const [success] of record.waiting) success?.()
      }
      script.onerror = () => {
        record.failed = true
        for (const [, failure] of record.waiting) failure?.()
      }
      win.document.head.appendChild(script)
    },
    makeString: (value: unknown) => String(value),
    isConsentGranted(type: string) {
      consentRead(type)
      return consent.state[type] !== 'denied'
    },
    addConsentListener(type: string, listener: (type: string, granted: boolean) => void) {
      consentRead(type)
      consent.listeners.push([type, listener])
    },
  }
}

/** `gtag('consent', 'update', states)`: the new states, and each listener of a type whose state changed. */
export function updateConsent(consent: ConsentMode, states: Record<string, 'granted' | 'denied'>) {
  for (const [type, next] of Object.entries(states)) {
    const was = consent.state[type] !== 'denied'
    consent.state[type] = next
    if (was !== (next === 'granted')) for (const [listening, listener] of consent.listeners) if (listening === type) listener(type, next === 'granted')
  }
}

/** Runs the template's sandboxed code with `require` and `data`, as GTM runs a tag. */
export function runTemplate(code: string, require: (name: string) => unknown, data: Record<string, unknown>) {
  return new Function('require', 'data', code)(require, data)
}
