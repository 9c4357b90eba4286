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

export type ConfigKey =
  | 'account'
  | 'app'
  | 'domain'
  | 'apiVersion'
  | 'section'
  | 'entryPoints'
  | 'engagements'
  | 'format'
  | 'render'
  | 'consent'
  | 'clickUrl'
  | 'dataLayer'
  | 'debug'
  | 'spa'
  | 'refresh'

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
  /** `document.baseURI`, for resolving a relative catalog URL. */
  baseUrl: string
}

export interface ResolvedConfig {
  /** Absent when there is any problem. */
  config?: TagConfig
  sources: Partial<Record<ConfigKey, ConfigSource>>
  problems: ConfigProblem[]
  /** Console lines for what was ignored (a bad `[data-lp-section]` value), with or without a config. */
  warnings: string[]
}

/**
 * Checks a given value: returns what to keep, or undefined (or throws) when it is invalid.
 * `isAttribute` tells an attribute (always a string) from a pre-load field (any type); `baseUrl` is
 * whatever `RawConfig.baseUrl` holds.
 */
type Check = (value: any, isAttribute?: boolean, baseUrl?: any) => unknown

/**
 * How one configuration key is given, checked and reported. Fields ending in `_` are internal: the
 * build shortens them (`mangleProps` in build.mjs), so their names cost no bytes.
 */
interface KeySpec {
  key: ConfigKey
  /** Its name on the tag's `<script>` and on the page element: `data-lp-api-version`. */
  attribute_: string
  /** Its name on the pre-load `window.lpTag`: `site`, `apiVersion`. */
  field_: string
  /** Missing, it is a problem; an optional key takes its default, if it has one. */
  required_: boolean
  check_: Check
  /** What a valid value looks like: the end of the console line. */
  rule_: string
  /** The valid value the page most likely meant, named in the console line as the fix. */
  fix_?: (value: any) => unknown
  /**
   * The page element (contract 1.3) may give it. Page content may hold markup nobody on the brand's
   * side wrote: it gives what a CMS needs, never a URL, a look or a switch of the tag's behaviour.
   */
  page_?: boolean
}

/** A key's entry in the table: its check and rule, and only what differs from the usual. */
type KeyEntry = Pick<KeySpec, 'check_' | 'rule_'> & Partial<Pick<KeySpec, 'attribute_' | 'field_' | 'required_' | 'page_' | 'fix_'>>

/** The sources that can give a key, in order of precedence; also their slots in `RawConfig`. */
const SOURCES = ['script', 'preload', 'element'] as const
type GivingSource = (typeof SOURCES)[number]

const LOOPBACK_ONLY = 'http: only for localhost, 127.0.0.1, [::1]'
const NO_SPACE = ' chars, no whitespace or control characters'

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

/** One of the space-separated `words`. */
const oneOf = (words: string): KeyEntry => ({
  check_: (value) => (words.split(' ').includes(value) ? value : undefined),
  rule_: 'one of ' + words,
  // `Toaster` → `toaster`, `slider` → `slideout`: the word it equals but for case, or shares its first three letters with.
  fix_: (value) => {
    const lower = ('' + value).toLowerCase()
    return words.split(' ').find((word) => word === lower || (lower.length > 2 && word.startsWith(lower.slice(0, 3))))
  },
})

/**
 * A comma-separated string or an array of them → trimmed, non-empty items, each at most `max`
 * chars and free of `forbidden` characters.
 */
const list = (max: number, forbidden: RegExp, chars: string): KeyEntry => ({
  check_: (value) => {
    // A number, boolean, object or nested array has no `split`: throws, which means invalid.
    const items = [value].flat().flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item)
    return items.every((item) => typeof item === 'string' && item.length <= max && !forbidden.test(item)) ? items : undefined
  },
  rule_: `comma-separated, each 1-${max}` + chars,
})

/** A presence flag: any attribute value but `false` sets it; on `lpTag`, a boolean. */
const flag: KeyEntry = {
  check_: (value, isAttribute) =>
    typeof value === (isAttribute ? 'string' : 'boolean') ? value !== false && value !== 'false' : undefined,
  rule_: 'true or false',
  fix_: (value) => (value === 'true' || value === 'false' ? value === 'true' : undefined),
}

/** The account id; a non-negative integer (`lpTag.site = 12345678`) counts as its digits. */
const accountId: Check = (value) => {
  const id = typeof value === 'number' && value >= 0 && value % 1 === 0 ? '' + value : value
  return isName(id) ? id : undefined
}

/** `host[:port]` or an origin → the API's URL, when https or http to a loopback host. */
const apiOrigin: Check = (value) => {
  const parts =
    typeof value === 'string' && /^(https?:\/\/)?([a-z\d.-]+|\[[\da-f:.]+\])(:[1-9]\d{0,4})?\/?$/.exec(value.toLowerCase())
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
 * another scheme (`javascript:1`, `mailto:a@b.c`, `ftp://`), a path (`/c.json`) or user info.
 * Prefixed, not parsed: a click URL's `{placeholders}` stay as written.
 */
const asHttps = (value: unknown) => {
  const bare = typeof value === 'string' ? value.replace(/^https?:\/\//i, '') : ''
  return /^([\w-]+(\.[\w-]+)+|localhost|\[[\da-f:]+\])(:\d+)?([/?#]|$)/i.test(bare) ? 'https://' + bare : undefined
}

/** The origin a domain with a path, a query or `http:` most likely meant. */
const originFix = (value: unknown) => {
  const url = safely(() => new URL(asHttps(value)!))
  return url && apiOrigin(url.origin) ? url.origin : undefined
}

/** The catalog's absolute URL; a relative one is resolved against the page's base URL. */
const catalogUrl: Check = (value, _isAttribute, baseUrl) => {
  const url = typeof value === 'string' && value && new URL(value, baseUrl || undefined)
  return url && isSecure(url) ? url.href : undefined
}

/** Seconds between re-checks: a whole number 60-600, given as a number or its digits. */
const seconds: Check = (value) => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? +value : value
  return typeof n === 'number' && n % 1 === 0 && n >= 60 && n <= 600 ? n : undefined
}

const SECTION_RULE = 'comma-separated, each 1-100 chars, no control characters'

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

/**
 * Every key, in the order its problems are reported. Unless its entry says otherwise, a key is
 * optional, its attribute is `data-lp-` and the key in kebab case, its pre-load field the key itself.
 */
const KEY_TABLE: Record<ConfigKey, KeyEntry> = {
  account: { field_: 'site', required_: true, page_: true, check_: accountId, rule_: NAME_RULE },
  app: { required_: true, page_: true, check_: matching(/^[\w.-]{1,128}$/), rule_: '1-128 of A-Z a-z 0-9 _ . -' },
  domain: { required_: true, page_: true, check_: apiOrigin, rule_: 'https host[:port] or origin; ' + LOOPBACK_ONLY, fix_: originFix },
  apiVersion: { page_: true, ...oneOf('1.0 1.1') },
  // Always valid: what is wrong in it is dropped with a warning (a section value never disables the tag).
  section: { check_: (value) => sectionItems(value)[0], rule_: SECTION_RULE },
  entryPoints: list(2000, /[\s\0-\x1f\x7f-\x9f]/, NO_SPACE),
  engagements: { check_: catalogUrl, rule_: 'https URL; ' + LOOPBACK_ONLY, fix_: (value) => (/^http:/i.test(value) ? asHttps(value) : undefined) },
  format: oneOf('peeling overlay toaster slideout embedded sticky'),
  render: oneOf('auto none'),
  consent: { page_: true, ...oneOf('granted pending') },
  clickUrl: { check_: matching(/^(?=.{0,2000}$)https?:\/\/[^\s\0-\x1f\x7f-\x9f]+$/i), rule_: 'http(s) URL of 1-2000' + NO_SPACE, fix_: asHttps },
  dataLayer: { attribute_: 'data-lp-datalayer', ...flag },
  debug: flag,
  spa: oneOf('history'),
  refresh: { check_: seconds, rule_: 'whole seconds, 60-600', fix_: (value) => (value > 0 ? Math.min(600, Math.max(60, Math.round(value))) : undefined) },
}


/** The table with every entry complete, in own properties: a polluted prototype adds none. */
const KEY_SPECS: KeySpec[] = (Object.keys(KEY_TABLE) as ConfigKey[]).map((key) => ({
  key,
  attribute_: 'data-lp-' + key.replace(/[A-Z]/g, '-$&').toLowerCase(),
  field_: key,
  required_: false,
  ...KEY_TABLE[key],
}))

/** A value for a console line: JSON-quoted, one line, at most 80 chars (then an ellipsis). */
const quote = (value: unknown) => {
  const text = safely(() => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)))) ?? typeof value
  // JSON escapes control characters but not the line separators U+2028/U+2029: the line must stay one.
  return JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
}

/**
 * The key's problem, named as the page wrote it: missing (required, and absent or empty), or
 * invalid; with the fix when one valid value is the likely meaning (`use "https://api.example.net"`).
 */
const problem = (spec: KeySpec, name: string, value: unknown): ConfigProblem => {
  const missing = spec.required_ && (value ?? '') === ''
  const fix = missing ? undefined : safely(() => spec.fix_?.(value))
  // Named only when it passes the key's own check (a fix that is wrong too would cost a second
  // try) and fits the line whole (a cut fix is no fix).
  const fixed = fix !== undefined && safely(() => spec.check_(fix, !name.startsWith('lpTag.'))) !== undefined && JSON.stringify(fix)
  return {
    key: spec.key,
    name,
    message: `[lpTag] ${name} ${missing ? 'is missing: required, ' : quote(value) + ' is invalid: '}${spec.rule_}${fixed && fixed.length < 90 && !/[\u2028\u2029]/.test(fixed) ? '; use ' + fixed : ''}`,
  }
}

/**
 * The first source that gives the key: which, its name there (`data-lp-account`, `lpTag.site`) and
 * the value. Anything but undefined or null counts as given: an empty attribute does not fall
 * through to the next source.
 */
const firstGiven = (spec: KeySpec, sourceObjects: (readonly [GivingSource, unknown])[]) => {
  for (const [source, object] of sourceObjects) {
    if (source === 'element' && !spec.page_) continue
    const onPreload = source === 'preload'
    const value = own(object, onPreload ? spec.field_ : spec.attribute_)
    // An object as `lpTag.engagements` is an inline catalog, read elsewhere: not a catalog URL.
    const isInlineCatalog = spec.key === 'engagements' && onPreload && typeof value === 'object'
    if (value != null && !isInlineCatalog) {
      // Surrounding whitespace is a copy-paste slip, not an error (attributes come trimmed).
      return { source_: source, name_: onPreload ? 'lpTag.' + spec.field_ : spec.attribute_, value_: typeof value === 'string' ? value.trim() : value }
    }
  }
  return
}


export function resolveConfig(raw: RawConfig): ResolvedConfig {
  const sources: ResolvedConfig['sources'] = {}
  const problems: ConfigProblem[] = []
  const warnings: string[] = []
  // The defaults, then each valid given value. No prototype, here and on the config: a polluted
  // Object.prototype (clickUrl, spa…) must neither count as a default nor show through a key the
  // config leaves out.
  const values: Record<string, any> = {
    __proto__: null,
    apiVersion: '1.1',
    section: [],
    entryPoints: [],
    format: 'slideout',
    render: 'auto',
    consent: 'granted',
    dataLayer: false,
    debug: false,
  }
  // Each source with what it holds: the attributes of an element, or the pre-load object.
  const sourceObjects = SOURCES.map((source) => [source, own(raw, source)] as const)
  const baseUrl = own(raw, 'baseUrl')

  for (const spec of KEY_SPECS) {
    const { key } = spec
    const given = firstGiven(spec, sourceObjects)
    let value = values[key]
    if (given) {
      sources[key] = given.source_
      value = safely(() => spec.check_(given.value_, given.source_ !== 'preload', baseUrl))
      // Page content may hold markup nobody on the brand's side wrote: a domain it gives must be
      // LivePerson's (or this machine), so injected markup cannot send the visitor's SDEs elsewhere.
      if (value && key === 'domain' && given.source_ === 'element' && !/(^|\.)liveperson\.net$|^(localhost|127\.0\.0\.1|\[::1\])$/.test(value.hostname)) {
        value = undefined
        problems.push({ key, name: given.name_, message: `[lpTag] ${given.name_} ${quote(given.value_)} on a page element is invalid: a LivePerson host (*.liveperson.net) or loopback; put another domain on the tag's script or lpTag.domain` })
      } else if (value === undefined) problems.push(problem(spec, given.name_, given.value_))
      else values[key] = value
    } else if (value !== undefined) sources[key] = 'default'
    else if (spec.required_) problems.push(problem(spec, spec.attribute_, undefined))

    // Every `[data-lp-section]` value on the page joins the key's own sections, deduplicated in
    // first-seen order. A bad one is page content's doing: dropped with a warning, never fatal.
    if (key === 'section') {
      if (given && sectionItems(given.value_)[1]) warnings.push(`[lpTag] ${given.name_} ${quote(given.value_)}: entries that are no section are ignored: ${SECTION_RULE}`)
      const page: string[] = []
      for (const pageValue of asArray(own(raw, 'pageSections'))) {
        const [items, dropped] = sectionItems(pageValue)
        if (dropped) warnings.push(`[lpTag] a [data-lp-section] value ${quote(pageValue)} is ignored: ${SECTION_RULE}`)
        else page.push(...items)
      }
      values.section = [...new Set([...value, ...page])]
      // No own sections given but some on the page: they come from page elements.
      if (!given && page.length) sources.section = 'element'
    }
  }

  if (problems.length) return { sources, problems, warnings }
  const { domain, section, ...rest } = values
  return {
    config: { __proto__: null, ...rest, origin: domain.origin, host: domain.host, sections: section } as unknown as TagConfig,
    sources,
    problems,
    warnings,
  }
}
