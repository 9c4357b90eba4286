/**
 * Resolves the tag's configuration (contract section 1) from what the page gave it: its own
 * `<script>` attributes, the pre-load `window.lpTag`, the first non-script `[data-lp-account]`
 * element, in that order of precedence, key by key. Pure: no DOM access, never throws.
 */

export type Format = 'peeling' | 'overlay' | 'toaster' | 'slideout' | 'embedded' | 'sticky'

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
}

/** Checks a given value: returns what to keep, or undefined (or throws) when it is invalid. */
type Check = (v: any, attr?: boolean, base?: any) => unknown

/** Keys in camel case with a "-" where the attribute has one: `apiVersion` is `data-lp-api-version`. */
const NAMES = 'account app domain api-Version section entry-Points engagements format render consent click-Url dataLayer debug spa'.split(' ')
const SOURCES: ConfigSource[] = ['script', 'preload', 'element', 'default']

const LOOP = 'http: only for localhost, 127.0.0.1, [::1]'
const CHARS = ' chars, no whitespace or control characters'

const has = {}.hasOwnProperty

/** An own property of `o`, or undefined; never throws (getters, proxies). */
const get = (o: unknown, k: string): any => {
  try {
    if (o && typeof o == 'object' && has.call(o, k)) return (o as Record<string, unknown>)[k]
  } catch {}
  return
}

/** https, or http to a loopback host. */
const secure = (u: URL) =>
  u.protocol == 'https:' || (u.protocol == 'http:' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(u.hostname))

const match =
  (r: RegExp): Check =>
  (v) =>
    typeof v == 'string' && r.test(v) ? v : undefined

const oneOf = (s: string): [Check, string] => [(v) => (s.split(' ').includes(v) ? v : undefined), 'one of ' + s]

/**
 * A comma-separated string or an array of them → trimmed, non-empty items, each at most `max`
 * chars without control characters (nor whitespace for entry points).
 */
const list = (max: number, bad: RegExp, text: string): [Check, string] => [
  (v) => {
    // A number, boolean, object or nested array has no `split`: throws, which means invalid.
    const r = [v].flat().flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s)
    return r.every((s) => typeof s == 'string' && s.length <= max && !bad.test(s)) ? r : undefined
  },
  `comma-separated, each 1-${max}` + text,
]

const flag: [Check, string] = [
  (v, attr) => (typeof v == (attr ? 'string' : 'boolean') ? v !== false && v != 'false' : undefined),
  'true or false',
]

const RULES: [Check, string][] = [
  [(v) => match(/^[\w-]{1,64}$/)(typeof v == 'number' && v >= 0 && v % 1 == 0 ? '' + v : v), '1-64 of A-Z a-z 0-9 _ -'],
  [match(/^[\w.-]{1,128}$/), '1-128 of A-Z a-z 0-9 _ . -'],
  [
    (v) => {
      const m = typeof v == 'string' && /^(https?:\/\/)?([a-z\d.-]+|\[[\da-f:.]+\])(:[1-9]\d{0,4})?\/?$/.exec(v.toLowerCase())
      if (m) {
        const h = m[2]!
        const u = new URL((m[1] || 'https://') + h + (m[3] || ''))
        // Labels neither empty nor starting or ending with "-"; the URL parser re-reads IPv4
        // shorthands (1.2.3, 0x7f.1, 010.0.0.1): only hosts it keeps as written pass.
        if (secure(u) && h.length < 254 && !/^[-.]|[-.]$|[-.]\.|\.-/.test(h) && (h[0] == '[' || u.hostname == h)) return u
      }
      return
    },
    'https host[:port] or origin; ' + LOOP,
  ],
  oneOf('1.0 1.1'),
  list(100, /[\0-\x1f\x7f-\x9f]/, ' chars, no control characters'),
  list(2000, /[\s\0-\x1f\x7f-\x9f]/, CHARS),
  [
    (v, _, base) => {
      const u = typeof v == 'string' && v && new URL(v, base || undefined)
      return u && secure(u) ? u.href : undefined
    },
    'https URL; ' + LOOP,
  ],
  oneOf('peeling overlay toaster slideout embedded sticky'),
  oneOf('auto none'),
  oneOf('granted pending'),
  [match(/^(?=.{0,2000}$)https?:\/\/[^\s\0-\x1f\x7f-\x9f]+$/i), 'http(s) URL of 1-2000' + CHARS],
  flag,
  flag,
  oneOf('history'),
]

/** A value for a console line: JSON-quoted, one line, at most 80 chars (then an ellipsis). */
const quote = (v: unknown) => {
  let s: string
  try {
    s = typeof v == 'string' ? v : (JSON.stringify(v) ?? String(v))
  } catch {
    s = typeof v
  }
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s)
}

export function resolveConfig(raw: RawConfig): ResolvedConfig {
  const sources: ResolvedConfig['sources'] = {}
  const problems: ConfigProblem[] = []
  // No prototype, here and on the config: a polluted Object.prototype (clickUrl, spa…) must neither
  // count as a default nor show through a key the config leaves out.
  const out: Record<string, any> = {
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
  const tiers = SOURCES.map((s) => get(raw, s))
  const base = get(raw, 'baseUrl')

  NAMES.forEach((n, i) => {
    const key = n.replace('-', '') as ConfigKey
    const [check, rule] = RULES[i]!
    const field = i ? key : 'site'
    const attr = 'data-lp-' + n.toLowerCase()
    const problem = (name: string, v: unknown) =>
      problems.push({
        key,
        name,
        message: `[lpTag] ${name} ${i < 3 && (v ?? '') === '' ? 'is missing: required, ' : quote(v) + ' is invalid: '}${rule}`,
      })
    const run = (v: any, attr?: boolean): any => {
      try {
        return check(v, attr, base)
      } catch {}
    }
    let t = 0
    let v: unknown
    // The first tier that gives the key; an object as lpTag.engagements is an inline catalog, read
    // elsewhere, not a URL given here.
    while (t < 3 && ((v = get(tiers[t], t == 1 ? field : attr)) == null || (t == 1 && i == 6 && typeof v == 'object'))) t++
    if (t < 3 || key in out) sources[key] = SOURCES[t]
    const r = t < 3 ? run(v, t != 1) : out[key]
    if (r === undefined) (t < 3 || i < 3) && problem(t == 1 ? 'lpTag.' + field : attr, v)
    else out[key] = r

    if (i == 4 && r) {
      // Merged with every [data-lp-section] value on the page, own value first, deduplicated;
      // anything else than an array there is ignored.
      const pages = get(raw, 'pageSections')
      let p: string[] | undefined
      try {
        p = Array.isArray(pages) ? (check(pages) as string[]) : []
      } catch {}
      if (p) out.section = [...new Set([...r, ...p])]
      else problem(attr, pages)
      if (t > 2 && p?.length) sources.section = 'element'
    }
  })

  if (problems.length) return { sources, problems }
  const { domain: u, section: sections, ...rest } = out
  return { config: { __proto__: null, ...rest, origin: u.origin, host: u.host, sections } as unknown as TagConfig, sources, problems }
}
