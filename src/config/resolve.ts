/**
 * Resolves the tag's configuration (contract section 1) from what the page gave it: its own
 * `<script>` attributes, the pre-load `window.lpTag`, the first non-script `[data-lp-account]`
 * element, in that order of precedence, key by key. Pure: no DOM access, never throws.
 */
import { asArray, isArray, isSecure, LOOPBACK, NAME_RULE, own } from '../lib/checks.ts'
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
  /** `tcf`: from the page's IAB TCF CMP (`tcf.ts`). */
  consent: 'granted' | 'pending' | 'tcf'
  /** With `tcf`: the vendor whose consent counts, instead of the publisher's. */
  tcfVendor?: number
  clickUrl?: string
  dataLayer: boolean
  debug: boolean
  spa?: 'history'
  /** Seconds between availability re-checks while the page is visible; none when absent. */
  refresh?: number
}

export type ConfigKey = 'account' | 'app' | 'domain' | 'apiVersion' | 'section' | 'entryPoints' | 'engagements' | 'format' | 'render' | 'consent' | 'tcfVendor' | 'clickUrl' | 'dataLayer' | 'debug' | 'spa' | 'refresh'

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

/** A check: what to keep of a given value, or undefined (or a throw) when it is invalid. `attribute`: given as an attribute (always text), else a pre-load field (anything). */
type Check = (value: any, attribute: boolean, baseUrl: string) => unknown

/**
 * One key: its check, the rule a console line ends with, the value it most likely meant (named in
 * that line as the fix), and `r` (required) or `p` (a page element may give it: what a CMS needs).
 */
type KeySpec = [check: Check, rule: string, fix?: (value: any) => unknown, flags?: 'r' | 'p']

const LOOPBACK_ONLY = '; http: only for localhost, 127.0.0.1, [::1]'
const NO_SPACE = ' chars, no whitespace or control characters'
export const SECTION_RULE = 'comma-separated, each 1-100 chars, no control characters'

/** A string the pattern matches. */
const matching = (pattern: RegExp): Check => (value) => (pattern.test(value) && typeof value === 'string' ? value : undefined)

/** One of the space-separated `words`; the fix is the word it equals but for case, or shares its first three letters with (`slider` → `slideout`). */
const oneOf = (words: string, flags?: KeySpec[3]): KeySpec => [
  (value) => words.split(' ').find((word) => word === value),
  'one of ' + words,
  (value) => {
    const lower = ('' + value).toLowerCase()
    return words.split(' ').find((word) => word === lower || (lower.length > 2 && !word.indexOf(lower.slice(0, 3))))
  },
  flags,
]

/** A presence flag: any attribute value but `false` sets it; on `lpTag`, a boolean. */
const flag: KeySpec = [(value, attribute) => (typeof value === (attribute ? 'string' : 'boolean') ? value !== false && value !== 'false' : undefined), 'true or false', (value) => ({ true: true, false: false })[value as 'true']]

/**
 * Sections as a page gives them (`data-lp-section`, `lpTag.section`, `newPage({section})`): a
 * comma-separated string, or an array of such strings, as LivePerson's snippet has them. Returns
 * the valid ones, trimmed, and whether anything was dropped: an entry that is no string or empty
 * (a tag manager's `[host, "", path, undefined]`), an item too long or with control characters.
 */
export function sectionItems(value: unknown): [items: string[], dropped: boolean] {
  const items: string[] = []
  let dropped = false
  for (const entry of isArray(value) ? asArray(value) : [value])
    if (typeof entry !== 'string' || !entry.trim()) dropped = true
    else
      for (let item of entry.split(',')) {
        item = item.trim()
        if (item.length > 100 || /[\0-\x1f\x7f-\x9f]/.test(item)) dropped = true
        else if (item) items.push(item)
      }
  return [items, dropped]
}

/** `host[:port]` or an origin → the API's URL, when https or http to a loopback host. */
const apiOrigin: Check = (value) => {
  const [, scheme = 'https://', host = '', port = ''] = /^(https?:\/\/)?([a-z\d.-]+|\[[\da-f:.]+\])(:[1-9]\d{0,4})?\/?$/.exec(value.toLowerCase()) ?? []
  const url = new URL(scheme + host + port)
  // Labels neither empty nor starting or ending with "-"; the URL parser re-reads IPv4 shorthands
  // (1.2.3, 0x7f.1, 010.0.0.1): only hosts it keeps as written pass.
  return isSecure(url) && host.length < 254 && !/^[-.]|[-.]$|[-.]\.|\.-/.test(host) && (host[0] === '[' || url.hostname === host) ? url : undefined
}

/**
 * The value as an https URL, when it is an http one or one that lost its scheme
 * (`api.example.net/x`): a host with a dot (or localhost), a port, then a path or nothing. Not
 * another scheme, a path or user info. Prefixed, not parsed: a click URL's `{placeholders}` stay.
 */
const asHttps = (value: string) => {
  const bare = value.replace(/^https?:\/\//i, '')
  return /^([\w-]+(\.[\w-]+)+|localhost|\[[\da-f:]+\])(:\d+)?([/?#]|$)/i.test(bare) ? 'https://' + bare : undefined
}

/**
 * Every key, in the order its problems are reported. Its attribute is `data-lp-` and the key in
 * kebab case (but `data-lp-datalayer`), its pre-load field the key itself (but `site`).
 */
const KEYS: Record<ConfigKey, KeySpec> = {
  // A non-negative integer (`lpTag.site = 12345678`) counts as its digits.
  account: [(value, ...rest) => matching(/^[\w-]{1,64}$/)(value >= 0 && value % 1 === 0 && typeof value === 'number' ? '' + value : value, ...rest), NAME_RULE, 0 as never, 'r'],
  app: [matching(/^[\w.-]{1,128}$/), '1-128 of A-Z a-z 0-9 _ . -', 0 as never, 'r'],
  // The fix: the origin a domain with a path, a query or `http:` most likely meant.
  domain: [apiOrigin, 'https host[:port] or origin' + LOOPBACK_ONLY, (value) => apiOrigin(new URL(asHttps(value)!).origin, true, '') && new URL(asHttps(value)!).origin, 'r'],
  apiVersion: oneOf('1.0 1.1', 'p'),
  // Always valid: what is wrong in it is dropped with a warning (a section value never disables the tag).
  section: [(value) => sectionItems(value)[0], SECTION_RULE],
  // A number, boolean, object or nested array has no `split`: throws, which means invalid.
  entryPoints: [
    (value) => {
      const items = [value].flat().flatMap((item) => item.split(',').map((part: string) => part.trim()).filter((part: string) => part))
      return items.every((item) => item.length <= 2000 && !/[\s\0-\x1f\x7f-\x9f]/.test(item)) ? items : undefined
    },
    'comma-separated, each 1-2000' + NO_SPACE,
  ],
  // Absolute; a relative one is resolved against the document's URL.
  engagements: [(value, _, baseUrl) => (value > '' && typeof value === 'string' ? [new URL(value, baseUrl || undefined)].find(isSecure)?.href : undefined), 'https URL' + LOOPBACK_ONLY, (value) => /^http:/i.test(value) && asHttps(value)],
  format: oneOf('peeling overlay toaster slideout embedded sticky'),
  render: oneOf('auto none'),
  consent: oneOf('granted pending tcf', 'p'),
  // A positive integer, as a number or its digits (the IAB's Global Vendor List ids).
  tcfVendor: [(value) => [/^\d+$/.test(value) && typeof value === 'string' ? +value : value].find((n) => n > 0 && n % 1 === 0 && typeof n === 'number' && n < 1e9), 'a positive integer (a Global Vendor List id)'],
  clickUrl: [matching(/^(?=.{0,2000}$)https?:\/\/[^\s\0-\x1f\x7f-\x9f]+$/i), 'http(s) URL of 1-2000' + NO_SPACE, asHttps],
  dataLayer: flag,
  debug: flag,
  spa: oneOf('history'),
  // Whole seconds, as a number or its digits; the fix clamps.
  refresh: [(value) => [/^\d+$/.test(value) && typeof value === 'string' ? +value : value].find((n) => n % 1 === 0 && n > 59 && n < 601 && typeof n === 'number'), 'whole seconds, 60-600', (value) => value > 0 && Math.min(600, Math.max(60, Math.round(value)))],
}

/** `read()`, or undefined when it throws: a hostile getter or Proxy, `split` on a number. */
const safely = <T>(read: () => T): T | undefined => {
  try {
    return read()
  } catch {}
  return
}

/** JSON text on one line: JSON escapes control characters but not the line separators U+2028/U+2029. */
const oneLine = (value: unknown) => JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16))

/** A value for a console line: JSON-quoted, at most 80 chars (then an ellipsis). */
const quote = (value: unknown) => {
  const text = safely(() => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)))) ?? typeof value
  return oneLine(text.length > 80 ? text.slice(0, 80) + '…' : text)
}

/** A LivePerson host or this machine: the only domains a page element may give. */
const LIVEPERSON = /(^|\.)liveperson\.net$/

export function resolveConfig(raw: RawConfig): ResolvedConfig {
  const sources: ResolvedConfig['sources'] = {}
  const problems: ConfigProblem[] = []
  const warnings: string[] = []
  // The defaults, then each valid given value. No prototype, here and on the config: a polluted
  // Object.prototype (clickUrl, spa…) must neither count as a default nor show through a key the
  // config leaves out.
  const values: Record<string, any> = { __proto__: null, apiVersion: '1.1', section: [], entryPoints: [], format: 'slideout', render: 'auto', consent: 'granted', dataLayer: false, debug: false }
  const baseUrl = own(raw, 'baseUrl')
  const warn = (name: string, value: unknown, what: string) => warnings.push(`[lpTag] ${name} ${quote(value)}${what}${SECTION_RULE}`)

  for (const [key, [check, rule, fix, flags]] of Object.entries(KEYS) as [ConfigKey, KeySpec][]) {
    let name = key === 'dataLayer' ? 'data-lp-datalayer' : 'data-lp-' + key.replace(/[A-Z]/g, '-$&').toLowerCase()
    const field = key === 'account' ? 'site' : key
    // The first source that gives it. Anything but undefined or null counts as given: an empty
    // attribute does not fall through. Page content may hold markup nobody on the brand's side
    // wrote: a page element gives only what a CMS needs. An object as `lpTag.engagements` is an
    // inline catalog, read elsewhere.
    const source = (['script', 'preload', 'element'] as const).find((each) => {
      const value = own(own(raw, each), each === 'preload' ? field : name)
      return value != null && (each !== 'element' || flags) && !(key === 'engagements' && typeof value === 'object')
    })
    let value = own(own(raw, source!), source === 'preload' ? field : name)
    if (source === 'preload') name = 'lpTag.' + field
    // Surrounding whitespace is a copy-paste slip, not an error (attributes come trimmed).
    if (typeof value === 'string') value = value.trim()
    const attribute = source !== 'preload'
    const problem = (message: string) => problems.push({ key, name, message: `[lpTag] ${name} ${message}` })
    if (source) {
      sources[key] = source
      const valid = safely(() => check(value, attribute, baseUrl))
      if (valid === undefined) {
        const missing = flags === 'r' && value === ''
        // A fix is named only when it passes the key's own check and fits the line whole.
        const fixed = !missing && safely(() => fix?.(value))
        const shown = safely(() => check(fixed, attribute, baseUrl)) !== undefined && oneLine(fixed)
        problem(`${missing ? 'is missing: required, ' : quote(value) + ' is invalid: '}${rule}${shown && shown.length < 90 ? '; use ' + shown : ''}`)
      }
      // Page content must not send the visitor's SDEs elsewhere: a domain it gives is LivePerson's.
      else if (key === 'domain' && source === 'element' && !LIVEPERSON.test((valid as URL).hostname) && !LOOPBACK.test((valid as URL).hostname))
        problem(`${quote(value)} on a page element is invalid: a LivePerson host (*.liveperson.net) or loopback; put another domain on the tag's script or lpTag.domain`)
      else values[key] = valid
      if (key === 'section' && sectionItems(value)[1]) warn(name, value, ': entries that are no section are ignored: ')
    } else if (key in values) sources[key] = 'default'
    else if (flags === 'r') problem('is missing: required, ' + rule)

    // Every `[data-lp-section]` value on the page joins the key's own sections, deduplicated in
    // first-seen order. A bad one is page content's doing: dropped with a warning, never fatal.
    if (key === 'section') {
      const page: string[] = []
      for (const pageValue of asArray(own(raw, 'pageSections'))) {
        const [items, dropped] = sectionItems(pageValue)
        if (dropped) warn('a [data-lp-section] value', pageValue, ' is ignored: ')
        else page.push(...items)
      }
      values.section = [...new Set([...values.section, ...page])]
      // No own sections given but some on the page: they come from page elements.
      if (!source && page.length) sources.section = 'element'
    }
  }

  const { domain, section, ...rest } = values
  return { config: problems.length ? undefined : ({ __proto__: null, ...rest, origin: domain.origin, host: domain.host, sections: section } as unknown as TagConfig), sources, problems, warnings }
}
