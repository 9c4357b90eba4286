/**
 * Resolves the tag's configuration (contract section 1) from what the page gave it: its own
 * `<script>` attributes, the pre-load `window.lpTag`, the first non-script `[data-lp-account]`
 * element, in that order of precedence, key by key. Pure: no DOM access, never throws.
 */
import { asArray, isArray, isName, isSecure, NAME_RULE, own } from '../lib/checks.ts'
import type { Format } from '../types.ts'

export interface TagConfig {
  account: string
  app: string
  /** API origin: `https://api.example.net`, `https://api.example.net:8443`, `http://localhost:8081`. */
  origin: string
  /** The origin's `host[:port]`, for the unauthenticated identity's iss `${host}/${account}`. */
  host: string
  apiVersion: '1.0' | '1.1'
  /** Deduplicated, trimmed, non-empty, in first-seen order. */
  sections: string[]
  entryPoints: string[]
  /** Absolute catalog URL, when given as a URL. */
  engagements?: string
  format: Format
  render: 'auto' | 'none'
  consent: 'granted' | 'pending'
  clickUrl?: string
  dataLayer: boolean
  debug: boolean
  spa?: 'history'
  /** Seconds between availability re-checks while the page is visible; none when absent. */
  refresh?: number
}

export type ConfigKey = 'account' | 'app' | 'domain' | 'apiVersion' | 'section' | 'entryPoints' | 'engagements' | 'format' | 'render' | 'consent' | 'clickUrl' | 'dataLayer' | 'debug' | 'spa' | 'refresh'

export type ConfigSource = 'script' | 'preload' | 'element' | 'default'

export interface ConfigProblem {
  key: ConfigKey
  /** As the integrator wrote it: `data-lp-account` or `lpTag.site`. */
  name: string
  /** The whole console line. */
  message: string
}

export interface RawConfig {
  /** data-lp-* attributes of the tag's own `<script>` (attribute name → value). */
  script?: Record<string, string>
  /** The `window.lpTag` object as found before the tag loaded (may hold anything). */
  preload?: Record<string, unknown>
  /** data-lp-* attributes of the first non-script element carrying data-lp-account. */
  element?: Record<string, string>
  /** Raw values of every `[data-lp-section]` element on the page (comma-separated strings). */
  pageSections?: string[]
  /** The document's URL, for resolving a relative catalog URL. */
  baseUrl: string
}

export interface ResolvedConfig {
  /** Absent when there is any problem. */
  config?: TagConfig
  sources: Partial<Record<ConfigKey, ConfigSource>>
  problems: ConfigProblem[]
  /** Console lines for what was ignored (a bad section value), with or without a config. */
  warnings: string[]
}

/**
 * Checks a given value: returns what to keep, or undefined (or throws) when it is invalid.
 * `isAttribute` tells an attribute (always a string) from a pre-load field (any type).
 */
type Check = (value: any, isAttribute: boolean, baseUrl: unknown) => unknown

/** One key: its check, the rule a console line ends with, the value it most likely meant, and whether a page element may give it. */
type KeySpec = [check: Check, rule: string, fix?: (value: any) => unknown, flags?: 'required' | 'page']

const LOOPBACK_ONLY = 'http: only for localhost, 127.0.0.1, [::1]'
const NO_SPACE = ' chars, no whitespace or control characters'
export const SECTION_RULE = 'comma-separated, each 1-100 chars, no control characters'

/** What `read` returns, or undefined when it throws: a hostile getter or Proxy, `split` on a number. */
const safely = <T>(read: () => T): T | undefined => {
  try {
    return read()
  } catch {}
  return
}

/** A string the pattern matches. */
const matching =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? value : undefined

/** One of the space-separated `words`; the fix is the word it equals but for case, or shares its first three letters with (`slider` → `slideout`). */
const oneOf = (words: string, flags?: KeySpec[3]): KeySpec => [
  (value) => (words.split(' ').includes(value) ? value : undefined),
  'one of ' + words,
  (value) => {
    const lower = ('' + value).toLowerCase()
    return words.split(' ').find((word) => word === lower || (lower.length > 2 && word.startsWith(lower.slice(0, 3))))
  },
  flags,
]

/** A presence flag: any attribute value but `false` sets it; on `lpTag`, a boolean. */
const flag: KeySpec = [
  (value, isAttribute) => (typeof value === (isAttribute ? 'string' : 'boolean') ? value !== false && value !== 'false' : undefined),
  'true or false',
  (value) => (value === 'true' || value === 'false' ? value === 'true' : undefined),
]

/**
 * Sections as a page gives them (`data-lp-section`, `lpTag.section`, `newPage({section})`): a
 * comma-separated string, or an array of such strings, as LivePerson's snippet has them. Returns
 * the valid ones, trimmed, and whether anything was dropped: an entry that is no string or empty
 * (a tag manager's `[host, "", path, undefined]`), an item too long or with control characters.
 */
export function sectionItems(value: unknown): [items: string[], dropped: boolean] {
  const items: string[] = []
  let dropped = false
  for (const entry of isArray(value) ? asArray(value) : [value]) {
    if (typeof entry !== 'string' || !entry.trim()) dropped = true
    else
      for (const part of entry.split(',')) {
        const item = part.trim()
        if (item.length > 100 || /[\0-\x1f\x7f-\x9f]/.test(item)) dropped = true
        else if (item) items.push(item)
      }
  }
  return [items, dropped]
}

/** `host[:port]` or an origin → the API's URL, when https or http to a loopback host. */
const apiOrigin: Check = (value) => {
  const parts = /^(https?:\/\/)?([a-z\d.-]+|\[[\da-f:.]+\])(:[1-9]\d{0,4})?\/?$/.exec(value.toLowerCase())
  if (parts) {
    const host = parts[2]!
    const url = new URL((parts[1] || 'https://') + host + (parts[3] || ''))
    // Labels neither empty nor starting or ending with "-"; the URL parser re-reads IPv4
    // shorthands (1.2.3, 0x7f.1, 010.0.0.1): only hosts it keeps as written pass.
    if (isSecure(url) && host.length < 254 && !/^[-.]|[-.]$|[-.]\.|\.-/.test(host) && (host[0] === '[' || url.hostname === host)) return url
  }
  return
}

/**
 * The value as an https URL, when it is an http one or one that lost its scheme
 * (`api.example.net/x`): a host with a dot (or localhost), a port, then a path or nothing. Not
 * another scheme, a path or user info. Prefixed, not parsed: a click URL's `{placeholders}` stay.
 */
const asHttps = (value: unknown) => {
  const bare = typeof value === 'string' ? value.replace(/^https?:\/\//i, '') : ''
  return /^([\w-]+(\.[\w-]+)+|localhost|\[[\da-f:]+\])(:\d+)?([/?#]|$)/i.test(bare) ? 'https://' + bare : undefined
}

/** A list of up to `max` chars each, none with a `forbidden` character; comma-separated or an array. */
const list = (max: number, forbidden: RegExp, chars: string): KeySpec => [
  (value) => {
    // A number, boolean, object or nested array has no `split`: throws, which means invalid.
    const items = [value].flat().flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item)
    return items.every((item) => item.length <= max && !forbidden.test(item)) ? items : undefined
  },
  `comma-separated, each 1-${max}` + chars,
]

/**
 * Every key, in the order its problems are reported. Its attribute is `data-lp-` and the key in
 * kebab case (but `data-lp-datalayer`), its pre-load field the key itself (but `site`).
 */
const KEYS: Record<ConfigKey, KeySpec> = {
  account: [
    // A non-negative integer (`lpTag.site = 12345678`) counts as its digits.
    (value) => {
      const id = typeof value === 'number' && value >= 0 && value % 1 === 0 ? '' + value : value
      return isName(id) ? id : undefined
    },
    NAME_RULE,
    undefined,
    'required',
  ],
  app: [matching(/^[\w.-]{1,128}$/), '1-128 of A-Z a-z 0-9 _ . -', undefined, 'required'],
  domain: [
    apiOrigin,
    'https host[:port] or origin; ' + LOOPBACK_ONLY,
    // The origin a domain with a path, a query or `http:` most likely meant.
    (value) => {
      const url = safely(() => new URL(asHttps(value)!))
      return url && apiOrigin(url.origin, true, '') ? url.origin : undefined
    },
    'required',
  ],
  apiVersion: oneOf('1.0 1.1', 'page'),
  // Always valid: what is wrong in it is dropped with a warning (a section value never disables the tag).
  section: [(value) => sectionItems(value)[0], SECTION_RULE],
  entryPoints: list(2000, /[\s\0-\x1f\x7f-\x9f]/, NO_SPACE),
  engagements: [
    // Absolute; a relative one is resolved against the document's URL.
    (value, _, baseUrl) => {
      const url = typeof value === 'string' && value && new URL(value, (baseUrl as string) || undefined)
      return url && isSecure(url) ? url.href : undefined
    },
    'https URL; ' + LOOPBACK_ONLY,
    (value) => (/^http:/i.test(value) ? asHttps(value) : undefined),
  ],
  format: oneOf('peeling overlay toaster slideout embedded sticky'),
  render: oneOf('auto none'),
  consent: oneOf('granted pending', 'page'),
  clickUrl: [matching(/^(?=.{0,2000}$)https?:\/\/[^\s\0-\x1f\x7f-\x9f]+$/i), 'http(s) URL of 1-2000' + NO_SPACE, asHttps],
  dataLayer: flag,
  debug: flag,
  spa: oneOf('history'),
  refresh: [
    // Whole seconds, as a number or its digits.
    (value) => {
      const n = typeof value === 'string' && /^\d+$/.test(value) ? +value : value
      return typeof n === 'number' && n % 1 === 0 && n >= 60 && n <= 600 ? n : undefined
    },
    'whole seconds, 60-600',
    (value) => (value > 0 ? Math.min(600, Math.max(60, Math.round(value))) : undefined),
  ],
}

/** A value for a console line: JSON-quoted, one line, at most 80 chars (then an ellipsis). */
const quote = (value: unknown) => {
  const text = safely(() => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)))) ?? typeof value
  // JSON escapes control characters but not the line separators U+2028/U+2029: the line must stay one.
  return lineSafe(JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text))
}
const lineSafe = (text: string) => text.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)

/** A LivePerson host or this machine: the only domains a page element may give. */
const LIVEPERSON = /(^|\.)liveperson\.net$|^(localhost|127\.0\.0\.1|\[::1\])$/

export function resolveConfig(raw: RawConfig): ResolvedConfig {
  const sources: ResolvedConfig['sources'] = {}
  const problems: ConfigProblem[] = []
  const warnings: string[] = []
  // The defaults, then each valid given value. No prototype, here and on the config: a polluted
  // Object.prototype (clickUrl, spa…) must neither count as a default nor show through a key the
  // config leaves out.
  const values: Record<string, any> = { __proto__: null, apiVersion: '1.1', section: [], entryPoints: [], format: 'slideout', render: 'auto', consent: 'granted', dataLayer: false, debug: false }
  const baseUrl = own(raw, 'baseUrl')

  for (const [key, [check, rule, fix, flags]] of Object.entries(KEYS) as [ConfigKey, KeySpec][]) {
    const attribute = key === 'dataLayer' ? 'data-lp-datalayer' : 'data-lp-' + key.replace(/[A-Z]/g, '-$&').toLowerCase()
    const field = key === 'account' ? 'site' : key
    // The first source that gives it. Anything but undefined or null counts as given: an empty
    // attribute does not fall through. Page content may hold markup nobody on the brand's side
    // wrote: a page element gives only what a CMS needs. An object as `lpTag.engagements` is an
    // inline catalog, read elsewhere.
    let source: ConfigSource | undefined
    let name = attribute
    let value: unknown
    for (const each of ['script', 'preload', 'element'] as const) {
      const onPreload = each === 'preload'
      value = own(own(raw, each), onPreload ? field : attribute)
      if (value != null && (each !== 'element' || flags) && !(onPreload && key === 'engagements' && typeof value === 'object')) {
        source = each
        if (onPreload) name = 'lpTag.' + field
        break
      }
    }
    // Surrounding whitespace is a copy-paste slip, not an error (attributes come trimmed).
    if (typeof value === 'string') value = value.trim()
    const problem = (message: string) => problems.push({ key, name, message: `[lpTag] ${name} ${message}` })
    if (source) {
      sources[key] = source
      const valid = safely(() => check(value, source !== 'preload', baseUrl))
      if (valid === undefined) {
        const missing = flags === 'required' && value === ''
        // A fix is named only when it passes the key's own check and fits the line whole.
        const fixed = !missing && safely(() => fix?.(value))
        const shown = fixed !== undefined && safely(() => check(fixed, source !== 'preload', baseUrl)) !== undefined && lineSafe(JSON.stringify(fixed))
        problem(`${missing ? 'is missing: required, ' : quote(value) + ' is invalid: '}${rule}${shown && shown.length < 90 ? '; use ' + shown : ''}`)
      }
      // Page content must not send the visitor's SDEs elsewhere: a domain it gives is LivePerson's.
      else if (key === 'domain' && source === 'element' && !LIVEPERSON.test((valid as URL).hostname))
        problem(`${quote(value)} on a page element is invalid: a LivePerson host (*.liveperson.net) or loopback; put another domain on the tag's script or lpTag.domain`)
      else values[key] = valid
      if (key === 'section' && sectionItems(value)[1]) warnings.push(`[lpTag] ${name} ${quote(value)}: entries that are no section are ignored: ${rule}`)
    } else if (key in values) sources[key] = 'default'
    else if (flags === 'required') problem('is missing: required, ' + rule)

    // Every `[data-lp-section]` value on the page joins the key's own sections, deduplicated in
    // first-seen order. A bad one is page content's doing: dropped with a warning, never fatal.
    if (key === 'section') {
      const page: string[] = []
      for (const pageValue of asArray(own(raw, 'pageSections'))) {
        const [items, dropped] = sectionItems(pageValue)
        if (dropped) warnings.push(`[lpTag] a [data-lp-section] value ${quote(pageValue)} is ignored: ${rule}`)
        else page.push(...items)
      }
      values.section = [...new Set([...values.section, ...page])]
      // No own sections given but some on the page: they come from page elements.
      if (!source && page.length) sources.section = 'element'
    }
  }

  if (problems.length) return { sources, problems, warnings }
  const { domain, section, ...rest } = values
  return { config: { __proto__: null, ...rest, origin: domain.origin, host: domain.host, sections: section } as unknown as TagConfig, sources, problems, warnings }
}
