import { test, expect } from '@playwright/test'
import fc from 'fast-check'
import { resolveConfig, type ConfigKey, type RawConfig, type ResolvedConfig, type TagConfig } from './resolve.ts'
import { copyPreload, readRawConfig } from './read.ts'

const BASE = 'https://shop.example.com/dir/page.html'
const ACCOUNT = 'data-lp-account'
const APP = 'data-lp-app'
const DOMAIN = 'data-lp-domain'

/** The three required attributes, valid. */
const REQUIRED = { [ACCOUNT]: '12345678', [APP]: 'a1b2c3', [DOMAIN]: 'api.example.net' }
/** The same on a page element, whose domain must be LivePerson's (or loopback). */
const ELEMENT = { ...REQUIRED, [DOMAIN]: 'va.v.liveperson.net' }
const ELEMENT_ORIGIN = { origin: 'https://va.v.liveperson.net', host: 'va.v.liveperson.net' }

const resolve = (raw: Partial<RawConfig>): ResolvedConfig => resolveConfig({ baseUrl: BASE, ...raw })

/** Resolves with the required attributes on the script plus `script` extras; expects a config. */
function config(script: Record<string, string> = {}, rest: Partial<RawConfig> = {}): TagConfig {
  const r = resolve({ script: { ...REQUIRED, ...script }, ...rest })
  expect(r.problems).toEqual([])
  expect(r.config).toBeDefined()
  return r.config!
}

/** Resolves with the required attributes plus `script` extras; expects exactly one problem, for `key`. */
function problem(key: ConfigKey, script: Record<string, string> = {}, rest: Partial<RawConfig> = {}) {
  const r = resolve({ script: { ...REQUIRED, ...script }, ...rest })
  expect(r.config).toBeUndefined()
  expect(r.problems.map((p) => p.key)).toEqual([key])
  return r.problems[0]!
}

/** Where a problem names its fix (`; use "…"`), the fix given instead makes a valid configuration. */
function expectFixWorks(attribute: string, message: string) {
  const fix = message.match(/; use (".*")$/)?.[1]
  if (fix) config({ [attribute]: JSON.parse(fix) })
}

/** Same as `config`/`problem`, for one key given on the pre-load object. */
const preloadValue = (field: string, value: unknown) =>
  resolve({ script: REQUIRED, preload: { [field]: value } })

const DEFAULTS = {
  apiVersion: '1.1',
  sections: [],
  entryPoints: [],
  format: 'slideout',
  render: 'auto',
  consent: 'granted',
  dataLayer: false,
  debug: false,
}

const DEFAULT_SOURCES = {
  apiVersion: 'default',
  section: 'default',
  entryPoints: 'default',
  format: 'default',
  render: 'default',
  consent: 'default',
  dataLayer: 'default',
  debug: 'default',
}

// ---------------------------------------------------------------------------------------------
// Sources alone, precedence, defaults

test('script attributes alone: required keys, defaults for the rest, sources', () => {
  const r = resolve({ script: REQUIRED })
  expect(r).toEqual({
    config: {
      account: '12345678',
      app: 'a1b2c3',
      origin: 'https://api.example.net',
      host: 'api.example.net',
      ...DEFAULTS,
    },
    sources: { account: 'script', app: 'script', domain: 'script', ...DEFAULT_SOURCES },
    problems: [],
    warnings: [],
  })
  // Keys without a value and without a default have no source and no field.
  for (const key of ['engagements', 'clickUrl', 'spa'] as const) {
    expect(r.sources).not.toHaveProperty(key)
    expect(r.config).not.toHaveProperty(key)
  }
})

test('pre-load object alone: site (string or number), app, domain', () => {
  for (const site of ['12345678', 12345678]) {
    const r = resolve({ preload: { site, app: 'my.app', domain: 'https://api.example.net:8443' } })
    expect(r.problems).toEqual([])
    expect(r.config).toEqual({
      account: '12345678',
      app: 'my.app',
      origin: 'https://api.example.net:8443',
      host: 'api.example.net:8443',
      ...DEFAULTS,
    })
    expect(r.sources).toEqual({ account: 'preload', app: 'preload', domain: 'preload', ...DEFAULT_SOURCES })
  }
})

test('page element alone: what a CMS needs, never a URL, a look or a switch of behaviour', () => {
  const r = resolve({ element: { ...ELEMENT, 'data-lp-api-version': '1.0', 'data-lp-consent': 'pending' } })
  expect(r.config).toEqual({ account: '12345678', app: 'a1b2c3', ...ELEMENT_ORIGIN, ...DEFAULTS, apiVersion: '1.0', consent: 'pending' })
  expect(r.sources).toMatchObject({ account: 'element', app: 'element', domain: 'element', apiVersion: 'element', consent: 'element', render: 'default' })
  // Page content may hold markup nobody on the brand's side wrote: these keys are not taken from it,
  // valid or not, and an invalid one is no problem either.
  const hostile = {
    'data-lp-click-url': 'https://phish.example/?v={vid}',
    'data-lp-engagements': 'https://attacker.example/c.json',
    'data-lp-debug': '',
    'data-lp-render': 'none',
    'data-lp-format': 'overlay',
    'data-lp-datalayer': '',
    'data-lp-spa': 'history',
    'data-lp-entry-points': 'sec://evil',
  }
  for (const bad of [hostile, Object.fromEntries(Object.keys(hostile).map((k) => [k, 'x y']))]) {
    const h = resolve({ element: { ...ELEMENT, ...bad } })
    expect(h.problems).toEqual([])
    expect(h.config).toEqual({ account: '12345678', app: 'a1b2c3', ...ELEMENT_ORIGIN, ...DEFAULTS })
  }
})

test('a page element\'s domain must be a LivePerson host or loopback: another names the fix', () => {
  for (const domain of ['va.v.liveperson.net', 'liveperson.net', 'https://lo.v.liveperson.net:8443', 'http://localhost:8081', 'http://127.0.0.1:9', 'http://[::1]:1']) {
    expect(resolve({ element: { ...REQUIRED, [DOMAIN]: domain } }).problems).toEqual([])
  }
  for (const domain of ['attacker.example', 'liveperson.net.attacker.example', 'evilliveperson.net', 'https://attacker.example/liveperson.net']) {
    const r = resolve({ element: { ...REQUIRED, [DOMAIN]: domain } })
    expect(r.config).toBeUndefined()
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]!.message).toMatch(/^\[lpTag\] data-lp-domain ".*" (on a page element is invalid: a LivePerson host \(\*\.liveperson\.net\) or loopback; put another domain on the tag's script or lpTag\.domain|is invalid: .*)$/)
  }
  // On the script or the pre-load object, any https host.
  expect(resolve({ script: REQUIRED }).problems).toEqual([])
  expect(resolve({ preload: { site: '1', app: 'a', domain: 'attacker.example' } }).problems).toEqual([])
})

test('every key from each source, by its attribute or pre-load name', () => {
  const attrs = {
    ...REQUIRED,
    'data-lp-api-version': '1.0',
    'data-lp-section': 'a,b',
    'data-lp-entry-points': 'sec://x',
    'data-lp-engagements': '/catalog.json',
    'data-lp-format': 'overlay',
    'data-lp-render': 'none',
    'data-lp-consent': 'pending',
    'data-lp-click-url': 'https://chat.example.com/?e={engagementId}',
    'data-lp-datalayer': '',
    'data-lp-debug': '',
    'data-lp-spa': 'history',
  }
  const preload = {
    site: '12345678',
    app: 'a1b2c3',
    domain: 'api.example.net',
    apiVersion: '1.0',
    section: ['a', 'b'],
    entryPoints: ['sec://x'],
    engagements: '/catalog.json',
    format: 'overlay',
    render: 'none',
    consent: 'pending',
    clickUrl: 'https://chat.example.com/?e={engagementId}',
    dataLayer: true,
    debug: true,
    spa: 'history',
  }
  const expected: TagConfig = {
    account: '12345678',
    app: 'a1b2c3',
    origin: 'https://api.example.net',
    host: 'api.example.net',
    apiVersion: '1.0',
    sections: ['a', 'b'],
    entryPoints: ['sec://x'],
    engagements: 'https://shop.example.com/catalog.json',
    format: 'overlay',
    render: 'none',
    consent: 'pending',
    clickUrl: 'https://chat.example.com/?e={engagementId}',
    dataLayer: true,
    debug: true,
    spa: 'history',
  }
  const keys: ConfigKey[] = ['account', 'app', 'domain', 'apiVersion', 'section', 'entryPoints', 'engagements', 'format', 'render', 'consent', 'clickUrl', 'dataLayer', 'debug', 'spa']
  for (const [slot, value] of [['script', attrs], ['preload', preload]] as const) {
    const r = resolve({ [slot]: value })
    expect(r.problems).toEqual([])
    expect(r.config).toEqual(expected)
    expect(r.sources).toEqual(Object.fromEntries(keys.map((k) => [k, slot])))
  }
  // The page element gives only what a CMS needs; its sections come with every [data-lp-section] value.
  const e = resolve({ element: { ...attrs, ...ELEMENT }, pageSections: ['a,b'] })
  expect(e.config).toEqual({ ...expected, ...ELEMENT_ORIGIN, entryPoints: [], engagements: undefined, format: 'slideout', render: 'auto', clickUrl: undefined, dataLayer: false, debug: false, spa: undefined })
  expect(e.sources).toEqual({ account: 'element', app: 'element', domain: 'element', apiVersion: 'element', section: 'element', consent: 'element', entryPoints: 'default', format: 'default', render: 'default', dataLayer: 'default', debug: 'default' })
})

test('precedence key by key: script, then pre-load, then element, then default', () => {
  const r = resolve({
    script: { [ACCOUNT]: 'fromScript', 'data-lp-format': 'peeling' },
    preload: { site: 'fromPreload', app: 'appPreload', format: 'overlay', render: 'none' },
    element: { [ACCOUNT]: 'fromElement', [APP]: 'appElement', [DOMAIN]: 'element.liveperson.net', 'data-lp-format': 'toaster', 'data-lp-render': 'auto', 'data-lp-consent': 'pending' },
  })
  expect(r.problems).toEqual([])
  expect(r.config).toMatchObject({
    account: 'fromScript',
    app: 'appPreload',
    origin: 'https://element.liveperson.net',
    format: 'peeling',
    render: 'none',
    consent: 'pending',
    apiVersion: '1.1',
  })
  expect(r.sources).toMatchObject({
    account: 'script',
    app: 'preload',
    domain: 'element',
    format: 'script',
    render: 'preload',
    consent: 'element',
    apiVersion: 'default',
  })
})

test('an empty attribute counts as given: no fall-through, a "required" problem', () => {
  const r = resolve({
    script: { ...REQUIRED, [ACCOUNT]: '' },
    preload: { site: '999' },
    element: { [ACCOUNT]: '888' },
  })
  expect(r.config).toBeUndefined()
  expect(r.sources.account).toBe('script')
  expect(r.problems).toEqual([
    { key: 'account', name: ACCOUNT, message: '[lpTag] data-lp-account is missing: required, 1-64 of A-Z a-z 0-9 _ -' },
  ])
  // Same for an optional key: an empty data-lp-format is invalid, the pre-load value is not used.
  const p = problem('format', { 'data-lp-format': '' }, { preload: { format: 'overlay' } })
  expect(p.message).toBe('[lpTag] data-lp-format "" is invalid: one of peeling overlay toaster slideout embedded sticky')
})

test('a pre-load field that is undefined or null counts as not given', () => {
  const r = resolve({
    preload: { site: undefined, app: null, domain: 'api.example.net', apiVersion: null },
    element: { [ACCOUNT]: '1', [APP]: 'x', 'data-lp-api-version': '1.0' },
  })
  expect(r.problems).toEqual([])
  expect(r.config).toMatchObject({ account: '1', app: 'x', apiVersion: '1.0' })
  expect(r.sources).toMatchObject({ account: 'element', app: 'element', domain: 'preload', apiVersion: 'element' })
})

test('missing required keys: one problem each, named by attribute, no config', () => {
  const r = resolve({})
  expect(r.config).toBeUndefined()
  expect(r.problems).toEqual([
    { key: 'account', name: ACCOUNT, message: '[lpTag] data-lp-account is missing: required, 1-64 of A-Z a-z 0-9 _ -' },
    { key: 'app', name: APP, message: '[lpTag] data-lp-app is missing: required, 1-128 of A-Z a-z 0-9 _ . -' },
    {
      key: 'domain',
      name: DOMAIN,
      message: '[lpTag] data-lp-domain is missing: required, https host[:port] or origin; http: only for localhost, 127.0.0.1, [::1]',
    },
  ])
  expect(r.sources).toEqual(DEFAULT_SOURCES)
})

test('the message names the key as written in the source that gave it', () => {
  expect(problem('app', { [APP]: 'a b' }).message).toBe('[lpTag] data-lp-app "a b" is invalid: 1-128 of A-Z a-z 0-9 _ . -')
  const r = resolve({ script: { [ACCOUNT]: '1', [DOMAIN]: 'x.net' }, preload: { app: 'a b' } })
  expect(r.problems).toEqual([{ key: 'app', name: 'lpTag.app', message: '[lpTag] lpTag.app "a b" is invalid: 1-128 of A-Z a-z 0-9 _ . -' }])
  const s = resolve({ preload: { site: 'a/b', app: 'x', domain: 'http://api.example.net' } })
  expect(s.problems).toEqual([
    { key: 'account', name: 'lpTag.site', message: '[lpTag] lpTag.site "a/b" is invalid: 1-64 of A-Z a-z 0-9 _ -' },
    {
      key: 'domain',
      name: 'lpTag.domain',
      message: '[lpTag] lpTag.domain "http://api.example.net" is invalid: https host[:port] or origin; http: only for localhost, 127.0.0.1, [::1]; use "https://api.example.net"',
    },
  ])
  const e = resolve({ element: { ...ELEMENT, 'data-lp-api-version': '2' } })
  expect(e.problems).toEqual([{ key: 'apiVersion', name: 'data-lp-api-version', message: '[lpTag] data-lp-api-version "2" is invalid: one of 1.0 1.1' }])
})

test('one problem per wrong key, all reported together', () => {
  const r = resolve({
    script: { [ACCOUNT]: 'bad account', [DOMAIN]: 'ftp://x', 'data-lp-format': 'popup', 'data-lp-click-url': 'javascript:alert(1)' },
    preload: { app: 5, debug: 'yes' },
  })
  expect(r.config).toBeUndefined()
  expect(r.problems.map((p) => [p.key, p.name])).toEqual([
    ['account', ACCOUNT],
    ['app', 'lpTag.app'],
    ['domain', DOMAIN],
    ['format', 'data-lp-format'],
    ['clickUrl', 'data-lp-click-url'],
    ['debug', 'lpTag.debug'],
  ])
  expect(r.problems[1]!.message).toBe('[lpTag] lpTag.app "5" is invalid: 1-128 of A-Z a-z 0-9 _ . -')
  expect(r.problems[5]!.message).toBe('[lpTag] lpTag.debug "yes" is invalid: true or false')
  // Sources still tell where each (wrong) value came from, for the debug panel.
  expect(r.sources).toMatchObject({ account: 'script', app: 'preload', domain: 'script', debug: 'preload' })
})

// ---------------------------------------------------------------------------------------------
// Rules

test('account: 1-64 of A-Z a-z 0-9 _ -; lpTag.site may be a non-negative integer', () => {
  for (const ok of ['a', 'A_b-9', 'x'.repeat(64), '0', '-']) expect(config({ [ACCOUNT]: ok }).account).toBe(ok)
  for (const bad of ['x'.repeat(65), 'a b', 'a.b', 'ä', '1\n2', 'a/b']) {
    expect(problem('account', { [ACCOUNT]: bad }).message).toContain('is invalid: 1-64 of A-Z a-z 0-9 _ -')
  }
  const number = (site: unknown) => resolve({ script: { [APP]: 'a', [DOMAIN]: 'x.net' }, preload: { site } })
  expect(number(0).config?.account).toBe('0')
  expect(number(987654321).config?.account).toBe('987654321')
  for (const bad of [-1, 1.5, NaN, Infinity, 1e21, [1], ['1'], true, {}]) {
    expect(number(bad).config).toBeUndefined()
    expect(number(bad).problems.map((p) => p.name)).toEqual(['lpTag.site'])
  }
})

test('app: 1-128 of A-Z a-z 0-9 _ . -', () => {
  for (const ok of ['a', 'a.b_c-d', 'x'.repeat(128)]) expect(config({ [APP]: ok }).app).toBe(ok)
  for (const bad of ['x'.repeat(129), 'a b', 'a/b', 'a:b', '\u00e9']) problem('app', { [APP]: bad })
  expect(problem('app', { [APP]: '' }).message).toBe('[lpTag] data-lp-app is missing: required, 1-128 of A-Z a-z 0-9 _ . -')
})

test('domain: valid forms and their normalized origin and host', () => {
  const cases: [string, string, string][] = [
    ['api.example.net', 'https://api.example.net', 'api.example.net'],
    ['api.example.net:8443', 'https://api.example.net:8443', 'api.example.net:8443'],
    ['https://api.example.net/', 'https://api.example.net', 'api.example.net'],
    ['https://api.example.net', 'https://api.example.net', 'api.example.net'],
    ['HTTPS://API.Example.NET:8443/', 'https://api.example.net:8443', 'api.example.net:8443'],
    ['https://api.example.net:443', 'https://api.example.net', 'api.example.net'],
    ['api.example.net:443', 'https://api.example.net', 'api.example.net'],
    ['http://localhost:8081', 'http://localhost:8081', 'localhost:8081'],
    ['http://localhost', 'http://localhost', 'localhost'],
    ['http://localhost:80/', 'http://localhost', 'localhost'],
    ['http://[::1]:9', 'http://[::1]:9', '[::1]:9'],
    ['http://127.0.0.1', 'http://127.0.0.1', '127.0.0.1'],
    ['localhost:3000', 'https://localhost:3000', 'localhost:3000'],
    ['10.0.0.1:65535', 'https://10.0.0.1:65535', '10.0.0.1:65535'],
    ['[2001:db8::1]', 'https://[2001:db8::1]', '[2001:db8::1]'],
    ['https://[2001:DB8:0:0::1]:8443', 'https://[2001:db8::1]:8443', '[2001:db8::1]:8443'],
    ['a-b.c-d.e1', 'https://a-b.c-d.e1', 'a-b.c-d.e1'],
    ['x', 'https://x', 'x'],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, '', ''],
  ]
  for (const [value, origin, host] of cases) {
    const c = config({ [DOMAIN]: value })
    expect(c.origin).toBe(origin || `https://${value}`)
    expect(c.host).toBe(host || value)
  }
})

test('domain: rejected values', () => {
  const bad = [
    'http://api.example.net',
    'http://127.0.0.2',
    'http://[::2]',
    'ftp://x',
    'https://x/path',
    'x/path',
    'https://x?q=1',
    'https://x#h',
    'https://u@x',
    'https://u:p@x',
    'x..y',
    '.x.com',
    'x.com.',
    '-x.com',
    'x-.com',
    'a.-b.com',
    'a_b.com',
    'x:0',
    'x:65536',
    'x:99999',
    'x:',
    'x:08443',
    'javascript:alert(1)',
    'https://',
    'bücher.de',
    '1.2.3',
    '0x7f.0.0.1',
    '010.0.0.1',
    '999.1.1.1',
    '[::1',
    '[zz::1]',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
    '//api.example.net',
  ]
  for (const value of bad) {
    const p = problem('domain', { [DOMAIN]: value })
    const shown = value.length > 80 ? value.slice(0, 80) + '…' : value
    expect(p.message).toMatch(`[lpTag] data-lp-domain ${JSON.stringify(shown)} is invalid: https host[:port] or origin; http: only for localhost, 127.0.0.1, [::1]`)
    expectFixWorks(DOMAIN, p.message)
  }
  // The fix named is the origin the value most likely meant; none where there is no likely one.
  const fixOf = (value: string) => problem('domain', { [DOMAIN]: value }).message.match(/; use (".*")$/)?.[1]
  expect(fixOf('http://api.example.net')).toBe('"https://api.example.net"')
  expect(fixOf('https://api.example.net/api/v1?x=1')).toBe('"https://api.example.net"')
  expect(fixOf('api.example.net:8443/path')).toBe('"https://api.example.net:8443"')
  for (const none of ['ftp://x', 'javascript:alert(1)', 'mailto:1@evil.com', 'x:0', 'x..y', '//api.example.net', 'https://', 'https://u@x.example']) expect(fixOf(none)).toBeUndefined()
})

test('apiVersion: 1.0 or 1.1, default 1.1', () => {
  expect(config({ 'data-lp-api-version': '1.0' }).apiVersion).toBe('1.0')
  expect(config({ 'data-lp-api-version': '1.1' }).apiVersion).toBe('1.1')
  expect(config().apiVersion).toBe('1.1')
  for (const bad of ['1', '1.2', '1. 1', 'v1.1', '']) problem('apiVersion', { 'data-lp-api-version': bad })
  expect(preloadValue('apiVersion', 1.1).problems.map((p) => p.name)).toEqual(['lpTag.apiVersion'])
})

test('sections: own value first, merged with every page value, trimmed, deduplicated', () => {
  const c = config({ 'data-lp-section': ' sale , shoes,,sale' }, { pageSections: ['home, shoes', '', ' , ', 'sale,kids ', 'x y'] })
  expect(c.sections).toEqual(['sale', 'shoes', 'home', 'kids', 'x y'])
  // Array on the pre-load object; its items may also hold commas.
  const r = resolve({ script: REQUIRED, preload: { section: [' b ', 'a,c', ''] }, pageSections: ['a', 'd'] })
  expect(r.config?.sections).toEqual(['b', 'a', 'c', 'd'])
  expect(r.sources.section).toBe('preload')
  // Only page elements: their values, source element.
  const p = resolve({ script: REQUIRED, pageSections: ['p1,p2', 'p1'] })
  expect(p.config?.sections).toEqual(['p1', 'p2'])
  expect(p.sources.section).toBe('element')
  // None at all: [] by default.
  const d = resolve({ script: REQUIRED, pageSections: [] })
  expect(d.config?.sections).toEqual([])
  expect(d.sources.section).toBe('default')
})

test('sections: 1-100 chars without control characters; what is wrong in a list is dropped with one warning, never fatal', () => {
  expect(config({ 'data-lp-section': 'x'.repeat(100) }).sections).toEqual(['x'.repeat(100)])
  expect(config({ 'data-lp-section': 'caf\u00e9 & bar' }).sections).toEqual(['caf\u00e9 & bar'])
  for (const bad of ['x'.repeat(101), 'a\u0001b', 'a\u007fb', 'ok,a\u0085b']) {
    const r = resolve({ script: { ...REQUIRED, 'data-lp-section': bad } })
    expect(r.problems).toEqual([])
    expect(r.config?.sections).toEqual(bad.startsWith('ok') ? ['ok'] : [])
    expect(r.warnings).toEqual([expect.stringMatching(/^\[lpTag\] data-lp-section ".*": entries that are no section are ignored: comma-separated, each 1-100 chars, no control characters$/)])
  }
  for (const [bad, kept] of [[5, []], [true, []], [{ a: 1 }, []], [[1], []], [[['a']], []], [['a', null], ['a']], [['shop.example', '', '/p', undefined, undefined], ['shop.example', '/p']]] as const) {
    const r = preloadValue('section', bad)
    expect(r.problems).toEqual([])
    expect(r.config?.sections).toEqual(kept)
    expect(r.warnings).toEqual([expect.stringMatching(/^\[lpTag\] lpTag\.section .*: entries that are no section are ignored/)])
  }
  // A bad page value is page content's doing: dropped with one warning each, never fatal.
  const p = resolve({ script: { ...REQUIRED, 'data-lp-section': 'ok' }, pageSections: ['fine', 'y'.repeat(101), 'a\u0000'] })
  expect(p.problems).toEqual([])
  expect(p.config?.sections).toEqual(['ok', 'fine'])
  expect(p.warnings).toHaveLength(2)
  expect(p.warnings[0]).toMatch(/^\[lpTag\] a \[data-lp-section\] value ".*…" is ignored: comma-separated, each 1-100 chars, no control characters$/)
  expect(p.warnings[1]).toContain('"a\\u0000"')
  // A bad own value and a bad page value: a warning each.
  const both = resolve({ script: { ...REQUIRED, 'data-lp-section': 'a\u0001' }, pageSections: ['b\u0001'] })
  expect(both.problems).toEqual([])
  expect(both.warnings).toEqual([expect.stringContaining('"a\\u0001"'), expect.stringContaining('"b\\u0001"')])
})

test('entryPoints: comma-separated or array, 1-2000 chars without whitespace or control characters', () => {
  expect(config({ 'data-lp-entry-points': 'sec://a, lang://en,,https://x.example/p?q=1' }).entryPoints).toEqual(['sec://a', 'lang://en', 'https://x.example/p?q=1'])
  expect(preloadValue('entryPoints', ['sec://a', ' sec://b ']).config?.entryPoints).toEqual(['sec://a', 'sec://b'])
  expect(config({ 'data-lp-entry-points': 'x'.repeat(2000) }).entryPoints).toEqual(['x'.repeat(2000)])
  expect(config().entryPoints).toEqual([])
  for (const bad of ['x'.repeat(2001), 'a b', 'a\tb', 'a\u00a0b', 'a\u0000']) problem('entryPoints', { 'data-lp-entry-points': bad })
  expect(problem('entryPoints', { 'data-lp-entry-points': 'a b' }).message).toBe(
    '[lpTag] data-lp-entry-points "a b" is invalid: comma-separated, each 1-2000 chars, no whitespace or control characters',
  )
  expect(preloadValue('entryPoints', [7]).problems.map((p) => p.name)).toEqual(['lpTag.entryPoints'])
})

test('engagements: absolute https, relative against baseUrl, http only to loopback', () => {
  expect(config({ 'data-lp-engagements': 'https://cdn.example.com/c.json' }).engagements).toBe('https://cdn.example.com/c.json')
  expect(config({ 'data-lp-engagements': 'c.json' }).engagements).toBe('https://shop.example.com/dir/c.json')
  expect(config({ 'data-lp-engagements': '/c.json?v=2#x' }).engagements).toBe('https://shop.example.com/c.json?v=2#x')
  expect(config({ 'data-lp-engagements': 'http://localhost:8081/c.json' }).engagements).toBe('http://localhost:8081/c.json')
  expect(config({ 'data-lp-engagements': 'http://[::1]/c.json' }).engagements).toBe('http://[::1]/c.json')
  expect(config({ 'data-lp-engagements': 'c.json' }, { baseUrl: 'http://127.0.0.1:3000/a/' }).engagements).toBe('http://127.0.0.1:3000/a/c.json')
  for (const bad of ['javascript:alert(1)', 'data:application/json,{}', 'ftp://x/c.json', '']) {
    expect(problem('engagements', { 'data-lp-engagements': bad }).message).toBe(
      `[lpTag] data-lp-engagements ${JSON.stringify(bad)} is invalid: https URL; http: only for localhost, 127.0.0.1, [::1]`,
    )
  }
  expect(problem('engagements', { 'data-lp-engagements': 'http://cdn.example.com/c.json' }).message).toBe(
    '[lpTag] data-lp-engagements "http://cdn.example.com/c.json" is invalid: https URL; http: only for localhost, 127.0.0.1, [::1]; use "https://cdn.example.com/c.json"',
  )
  // Relative on an http page that is not loopback: the result is http, rejected.
  problem('engagements', { 'data-lp-engagements': 'c.json' }, { baseUrl: 'http://shop.example.com/' })
  // No usable base: only an absolute URL works.
  expect(config({ 'data-lp-engagements': 'https://cdn.example.com/c.json' }, { baseUrl: '' }).engagements).toBe('https://cdn.example.com/c.json')
  problem('engagements', { 'data-lp-engagements': 'c.json' }, { baseUrl: '' })
})

test('engagements: an object on lpTag.engagements is an inline catalog, not given here', () => {
  const r = resolve({ script: REQUIRED, preload: { engagements: { '1': { format: 'toaster' } } } })
  expect(r.problems).toEqual([])
  expect(r.config).not.toHaveProperty('engagements')
  expect(r.sources).not.toHaveProperty('engagements')
  // Nor does a page element give it.
  const e = resolve({ script: REQUIRED, preload: { engagements: {} }, element: { 'data-lp-engagements': '/c.json' } })
  expect(e.config).not.toHaveProperty('engagements')
  expect(preloadValue('engagements', 5).problems.map((p) => p.name)).toEqual(['lpTag.engagements'])
  expect(preloadValue('engagements', 'https://cdn.example.com/c.json').config?.engagements).toBe('https://cdn.example.com/c.json')
})

test('format, render, consent, spa: their values, defaults, anything else is a problem', () => {
  for (const format of ['peeling', 'overlay', 'toaster', 'slideout', 'embedded', 'sticky']) expect(config({ 'data-lp-format': format }).format).toBe(format)
  expect(config({ 'data-lp-render': 'none' }).render).toBe('none')
  expect(config({ 'data-lp-render': 'auto' }).render).toBe('auto')
  expect(config({ 'data-lp-consent': 'pending' }).consent).toBe('pending')
  expect(config({ 'data-lp-consent': 'granted' }).consent).toBe('granted')
  expect(config({ 'data-lp-spa': 'history' }).spa).toBe('history')
  const d = resolve({ script: REQUIRED })
  expect(d.config).toMatchObject({ format: 'slideout', render: 'auto', consent: 'granted' })
  expect(d.config?.spa).toBeUndefined()
  expect(problem('format', { 'data-lp-format': 'Toaster' }).message).toBe('[lpTag] data-lp-format "Toaster" is invalid: one of peeling overlay toaster slideout embedded sticky; use "toaster"')
  expect(problem('format', { 'data-lp-format': 'slider' }).message).toMatch(/; use "slideout"$/)
  expect(problem('format', { 'data-lp-format': 'popup' }).message).not.toContain('; use')
  expect(problem('format', { 'data-lp-format': '3' }).key).toBe('format')
  expect(problem('render', { 'data-lp-render': 'headless' }).message).toBe('[lpTag] data-lp-render "headless" is invalid: one of auto none')
  expect(problem('consent', { 'data-lp-consent': 'true' }).message).toBe('[lpTag] data-lp-consent "true" is invalid: one of granted pending tcf')
  expect(problem('spa', { 'data-lp-spa': '' }).message).toBe('[lpTag] data-lp-spa "" is invalid: one of history')
  expect(problem('spa', { 'data-lp-spa': 'hash' }).key).toBe('spa')
  expect(preloadValue('format', 3).problems.map((p) => p.name)).toEqual(['lpTag.format'])
  expect(preloadValue('spa', true).problems.map((p) => p.name)).toEqual(['lpTag.spa'])
})

test('clickUrl: http(s), placeholders kept literally, no whitespace or control characters, up to 2000 chars', () => {
  const url = 'https://chat.example.com/start?a={account}&c={campaignId}&e={engagementId}&x={contextId}&v={vid}&s={sid}'
  expect(config({ 'data-lp-click-url': url }).clickUrl).toBe(url)
  expect(config({ 'data-lp-click-url': 'HTTP://chat.example.com/{vid}' }).clickUrl).toBe('HTTP://chat.example.com/{vid}')
  const long = 'https://x.example/' + 'a'.repeat(2000 - 18)
  expect(config({ 'data-lp-click-url': long }).clickUrl).toBe(long)
  const longHttp = 'http://x.example/' + 'a'.repeat(2000 - 17)
  expect(config({ 'data-lp-click-url': longHttp }).clickUrl).toBe(longHttp)
  for (const bad of [long + 'a', 'javascript:alert(1)', 'ftp://x', '//x.example/', '/relative', 'https://x/a b', 'https://x/\u0000', 'https://x/\na', 'https://', '']) {
    const { message } = problem('clickUrl', { 'data-lp-click-url': bad })
    expect(message).toContain('is invalid: http(s) URL of 1-2000 chars, no whitespace or control characters')
    expectFixWorks('data-lp-click-url', message)
  }
  expect(problem('clickUrl', { 'data-lp-click-url': 'chat.example.com/start?v={vid}' }).message).toMatch(/; use "https:\/\/chat.example.com\/start\?v={vid}"$/)
  // The placeholders stay as written; no fix where there is no likely one.
  expect(problem('clickUrl', { 'data-lp-click-url': 'chat.example.com/{account}/go?v={vid}' }).message).toMatch(/; use "https:\/\/chat.example.com\/{account}\/go\?v={vid}"$/)
  for (const none of ['https://x/a b', 'javascript:1', 'mailto:1@evil.com', 'ftp://x.example/', '/relative']) {
    expect(problem('clickUrl', { 'data-lp-click-url': none }).message).not.toContain('; use')
  }
  expect(preloadValue('clickUrl', ['https://x']).problems.map((p) => p.name)).toEqual(['lpTag.clickUrl'])
})

test('dataLayer and debug: presence flags as attributes, booleans on the pre-load object', () => {
  for (const [value, on] of [['', true], ['true', true], ['1', true], ['yes', true], ['false', false]] as const) {
    expect(config({ 'data-lp-datalayer': value }).dataLayer).toBe(on)
    expect(config({ 'data-lp-debug': value }).debug).toBe(on)
  }
  expect(config()).toMatchObject({ dataLayer: false, debug: false })
  for (const value of [true, false]) {
    const r = resolve({ script: REQUIRED, preload: { dataLayer: value, debug: value } })
    expect(r.config).toMatchObject({ dataLayer: value, debug: value })
    expect(r.sources).toMatchObject({ dataLayer: 'preload', debug: 'preload' })
  }
  // The attribute beats the pre-load field, even when it turns the flag off.
  expect(resolve({ script: { ...REQUIRED, 'data-lp-debug': 'false' }, preload: { debug: true } }).config?.debug).toBe(false)
  for (const bad of ['true', 1, 0, {}, () => true]) {
    expect(preloadValue('dataLayer', bad).problems.map((p) => p.name)).toEqual(['lpTag.dataLayer'])
  }
})

// ---------------------------------------------------------------------------------------------
// Messages and hostile input

test('messages: one line, value JSON-quoted, truncated over 80 chars with an ellipsis', () => {
  const long = 'x'.repeat(79) + 'yz' + ' tail'
  const p = problem('app', { [APP]: long })
  expect(p.message).toBe(`[lpTag] data-lp-app "${'x'.repeat(79)}y…" is invalid: 1-128 of A-Z a-z 0-9 _ . -`)
  expect(problem('app', { [APP]: 'x'.repeat(80) + '!' }).message).toContain(`"${'x'.repeat(80)}…"`)
  expect(problem('app', { [APP]: 'a\nb"c' }).message).toBe('[lpTag] data-lp-app "a\\nb\\"c" is invalid: 1-128 of A-Z a-z 0-9 _ . -')
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  const weird: unknown[] = [
    Symbol('s'),
    10n,
    Object.create(null),
    cyclic,
    { toJSON() { throw new Error('no') } },
    () => 1,
    function named() {
      return '\n\n'
    },
    new Proxy({}, { get() { throw new Error('trap') }, ownKeys() { throw new Error('trap') } }),
    ['a'],
    { app: 'x' },
  ]
  for (const value of weird) {
    const r = resolve({ script: { [ACCOUNT]: '1', [DOMAIN]: 'x.net' }, preload: { app: value } })
    expect(r.config).toBeUndefined()
    expect(r.problems).toHaveLength(1)
    const { message, name } = r.problems[0]!
    expect(name).toBe('lpTag.app')
    expect(message).toMatch(/^\[lpTag\] lpTag\.app ".{0,120}" is invalid: 1-128 of A-Z a-z 0-9 _ \. -$/)
  }
})

test('hostile pre-load object: throwing getters, __proto__, prototype fields, proxies never throw', () => {
  const getters = Object.defineProperties(
    {},
    {
      site: { get: () => { throw new Error('boom') }, enumerable: true },
      app: { get: () => 'fromGetter', enumerable: true },
      section: { get: () => { throw new Error('boom') } },
    },
  )
  const r = resolve({ preload: getters, element: { [ACCOUNT]: '42', [DOMAIN]: 'x.liveperson.net' } })
  expect(r.problems).toEqual([])
  expect(r.config).toMatchObject({ account: '42', app: 'fromGetter' })
  expect(r.sources).toMatchObject({ account: 'element', app: 'preload' })

  // Own "__proto__" keys (JSON.parse makes them), and known fields only on the prototype: ignored.
  const parsed = JSON.parse('{"__proto__": {"site": "evil", "app": "evil"}, "domain": "x.net"}') as Record<string, unknown>
  const inherited = Object.create({ site: 'evil', app: 'evil' }) as Record<string, unknown>
  for (const preload of [parsed, inherited]) {
    const p = resolve({ preload })
    expect(p.config).toBeUndefined()
    expect(p.problems.map((q) => q.name)).toContain(ACCOUNT)
    expect(p.problems.map((q) => q.name)).toContain(APP)
  }

  // Object.prototype itself polluted: still only own fields count.
  const proto = Object.prototype as Record<string, unknown>
  const polluted = {
    [ACCOUNT]: 'evil',
    site: 'evil',
    script: { [ACCOUNT]: 'evil' },
    clickUrl: 'javascript:alert(1)',
    engagements: 'http://evil.example/c.json',
    spa: 'evil',
    format: 'evil',
    section: ['evil'],
    sections: ['evil'],
    pageSections: ['evil'],
    baseUrl: 'http://evil.example/',
  }
  Object.assign(proto, polluted)
  try {
    const p = resolveConfig({ baseUrl: BASE, preload: {}, element: {} } as RawConfig)
    expect(p.problems.map((q) => q.key)).toEqual(['account', 'app', 'domain'])
    const c = resolveConfig({ script: REQUIRED } as unknown as RawConfig)
    expect(c.problems).toEqual([])
    expect(c.config?.clickUrl).toBeUndefined()
    expect(c.config?.engagements).toBeUndefined()
    expect(c.config?.spa).toBeUndefined()
    expect(c.config?.format).toBe('slideout')
    expect(c.config?.sections).toEqual([])
    expect(Object.keys(c.sources)).not.toContain('clickUrl')
  } finally {
    for (const key of Object.keys(polluted)) delete proto[key]
  }

  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('get')
      },
      has() {
        throw new Error('has')
      },
      getOwnPropertyDescriptor() {
        throw new Error('gopd')
      },
      ownKeys() {
        throw new Error('ownKeys')
      },
      getPrototypeOf() {
        throw new Error('proto')
      },
    },
  )
  const { proxy: revoked, revoke } = Proxy.revocable({}, {})
  revoke()
  for (const hostile of [throwing, revoked, [], [1, 2], 'string', 42, null, () => {}]) {
    for (const slot of ['script', 'preload', 'element', 'pageSections', 'baseUrl'] as const) {
      const out = resolveConfig({ baseUrl: BASE, [slot]: hostile } as unknown as RawConfig)
      expect(out.config).toBeUndefined()
      // Page sections that are not strings (impossible from the DOM) are warned about and dropped;
      // anything else than an array there is ignored.
      expect(out.problems.map((q) => q.key)).toEqual(['account', 'app', 'domain'])
      expect(out.warnings).toHaveLength(slot === 'pageSections' && hostile !== revoked && Array.isArray(hostile) ? hostile.length : 0)
    }
    expect(() => resolveConfig(hostile as unknown as RawConfig)).not.toThrow()
  }
  expect(() => resolveConfig(undefined as unknown as RawConfig)).not.toThrow()
  // A hostile value in a known field: a problem for that key, no exception.
  for (const hostile of [throwing, revoked]) {
    // (An object as lpTag.engagements is an inline catalog: not a problem here.)
    for (const field of ['site', 'entryPoints', 'clickUrl', 'dataLayer']) {
      const out = resolve({ preload: { site: '1', app: 'a', domain: 'x.net', [field]: hostile } })
      expect(out.config).toBeUndefined()
      expect(out.problems).toHaveLength(1)
    }
    // A section value never disables the tag: dropped, with one warning.
    const sections = resolve({ preload: { site: '1', app: 'a', domain: 'x.net', section: hostile } })
    expect(sections.config?.sections).toEqual([])
    expect(sections.warnings).toHaveLength(1)
  }
  // Attribute values that are not strings (not possible from the DOM): problems, not exceptions.
  const numbers = resolve({ script: { [ACCOUNT]: 1 as unknown as string, [APP]: [] as unknown as string, [DOMAIN]: {} as unknown as string } })
  expect(numbers.problems.map((q) => q.key)).toEqual(['app', 'domain'])
})

// ---------------------------------------------------------------------------------------------
// Properties

const KEYS: ConfigKey[] = ['account', 'app', 'domain', 'apiVersion', 'section', 'entryPoints', 'engagements', 'format', 'render', 'consent', 'tcfVendor', 'clickUrl', 'dataLayer', 'debug', 'spa', 'refresh']
const ATTRIBUTES = ['account', 'app', 'domain', 'api-version', 'section', 'entry-points', 'engagements', 'format', 'render', 'consent', 'click-url', 'datalayer', 'debug', 'spa'].map((a) => 'data-lp-' + a)
const FIELDS = ['site', ...KEYS.slice(1)]
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])$/

/**
 * A plain assertion: Playwright's `expect` records a step with a stack trace per call, far too slow
 * for thousands of property runs.
 */
function ok(condition: unknown, what: string, value?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}: ${String(JSON.stringify(value))}`)
}

/** Every rule, re-checked on a returned config. */
function assertValid(c: TagConfig) {
  ok(Object.keys(c).every((k) => ['origin', 'host', 'sections', ...KEYS].includes(k)), 'only known keys', c)
  ok(typeof c.account === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.account), 'account', c.account)
  ok(typeof c.app === 'string' && /^[A-Za-z0-9_.-]{1,128}$/.test(c.app), 'app', c.app)
  const origin = new URL(c.origin)
  ok(origin.origin === c.origin && origin.host === c.host, 'origin and host', [c.origin, c.host])
  ok(origin.protocol === 'https:' || (origin.protocol === 'http:' && LOOPBACK.test(origin.hostname)), 'https or loopback', c.origin)
  ok(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:[1-9][0-9]{0,4})?$/.test(c.host), 'host', c.host)
  ok(origin.hostname.length <= 253, 'host length', c.host)
  ok(['1.0', '1.1'].includes(c.apiVersion), 'apiVersion', c.apiVersion)
  ok(Array.isArray(c.sections) && new Set(c.sections).size === c.sections.length, 'sections unique', c.sections)
  for (const s of c.sections) {
    ok(typeof s === 'string' && s.length >= 1 && s.length <= 100 && !CONTROL.test(s) && s.trim() === s, 'section', s)
  }
  ok(Array.isArray(c.entryPoints), 'entryPoints', c.entryPoints)
  for (const e of c.entryPoints) {
    ok(typeof e === 'string' && e.length >= 1 && e.length <= 2000 && !/[\s\u0000-\u001f\u007f-\u009f]/.test(e), 'entry point', e)
  }
  if (c.engagements !== undefined) {
    const u = new URL(c.engagements)
    ok(u.href === c.engagements, 'engagements absolute', c.engagements)
    ok(u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname)), 'engagements https', c.engagements)
  }
  ok(['peeling', 'overlay', 'toaster', 'slideout', 'embedded', 'sticky'].includes(c.format), 'format', c.format)
  ok(['auto', 'none'].includes(c.render), 'render', c.render)
  ok(['granted', 'pending', 'tcf'].includes(c.consent), 'consent', c.consent)
  ok(c.tcfVendor === undefined || (Number.isInteger(c.tcfVendor) && c.tcfVendor > 0), 'tcfVendor', c.tcfVendor)
  if (c.clickUrl !== undefined) {
    ok(typeof c.clickUrl === 'string' && /^https?:\/\/[^\s\u0000-\u001f\u007f-\u009f]+$/i.test(c.clickUrl) && c.clickUrl.length <= 2000, 'clickUrl', c.clickUrl)
  }
  ok(typeof c.dataLayer === 'boolean' && typeof c.debug === 'boolean', 'flags', [c.dataLayer, c.debug])
  ok(c.spa === undefined || c.spa === 'history', 'spa', c.spa)
}

/** The shape every result has, config or not. */
function assertShape(r: ResolvedConfig) {
  ok(Array.isArray(r.problems), 'problems')
  ok((r.config === undefined) === r.problems.length > 0, 'config exactly when no problem', r.problems)
  const keys = r.problems.map((p) => p.key)
  ok(new Set(keys).size === keys.length, 'one problem per key', keys)
  for (const p of r.problems) {
    ok(KEYS.includes(p.key), 'problem key', p.key)
    ok(p.message.startsWith(`[lpTag] ${p.name} `), 'message names the key', p.message)
    ok(!/[\n\r\u2028\u2029]/.test(p.message) && p.message.length < 300, 'one short line', p.message)
  }
  for (const [k, s] of Object.entries(r.sources)) {
    ok(KEYS.includes(k as ConfigKey) && ['script', 'preload', 'element', 'default'].includes(s), 'source', [k, s])
  }
  if (r.config) assertValid(r.config)
}

const anything = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withObjectString: true,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    stringUnit: 'binary',
  }),
  fc.sparseArray(fc.anything(), { maxLength: 50 }),
)

/** Plausible and implausible values for the known keys. */
const value = fc.oneof(
  anything,
  fc.constantFrom('', 'false', '1.0', '1.1', 'history', 'auto', 'none', 'pending', 'toaster', '12345678', 'api.example.net', 'http://localhost:8081', '/c.json', 'https://x.example/{vid}', 'a,b, c'),
  fc.stringMatching(/^[\w.-]{1,10}$/),
  fc.stringMatching(/^(https?:\/\/)?[a-z0-9.[\]:-]{1,20}(:\d{1,6})?\/?$/),
  fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 4 }),
  fc.boolean(),
  fc.integer(),
)

const attributes = fc.dictionary(fc.constantFrom(...ATTRIBUTES), value, { maxKeys: 14 })
const fields = fc.dictionary(fc.constantFrom(...FIELDS, '__proto__', 'constructor'), value, { maxKeys: 14 })

test('property: never throws, whatever each slot holds', () => {
  fc.assert(
    fc.property(
      fc.record(
        {
          script: fc.oneof(anything, attributes),
          preload: fc.oneof(anything, fields),
          element: fc.oneof(anything, attributes),
          pageSections: fc.oneof(anything, fc.array(fc.string({ unit: 'binary', maxLength: 120 }), { maxLength: 5 })),
          baseUrl: fc.oneof(anything, fc.constantFrom(BASE, 'http://localhost/', 'about:blank', '')),
        },
        { requiredKeys: [] },
      ),
      (raw) => {
        assertShape(resolveConfig(raw as RawConfig))
      },
    ),
    { numRuns: 3000 },
  )
  fc.assert(
    fc.property(anything, (raw) => {
      assertShape(resolveConfig(raw as RawConfig))
    }),
    { numRuns: 1000 },
  )
})

test('property: a config is returned whenever the required keys are valid and nothing else is given', () => {
  const domain = fc.oneof(
    // The last label starts with a letter: an all-digit one makes the URL parser read an IPv4 address.
    fc
      .stringMatching(/^([a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\.){0,3}[a-z]([a-z0-9-]{0,10}[a-z0-9])?(:[1-9][0-9]{0,3})?$/)
      .filter((d) => !/(^|\.)xn--/.test(d) && !/:(0|[7-9]\d{4}|6[6-9]\d{3})$/.test(d)),
    fc.constantFrom('http://localhost:8081', 'http://127.0.0.1', 'http://[::1]:9', 'https://api.example.net/'),
  )
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      fc.stringMatching(/^[A-Za-z0-9_.-]{1,128}$/),
      domain,
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
      (account, app, dom, pageSections) => {
        const cleanSections = pageSections.map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ''))
        const r = resolve({ preload: { site: account, app, domain: dom }, pageSections: cleanSections })
        ok(r.problems.length === 0, 'no problem', r.problems)
        ok(r.config?.account === account && r.config.app === app, 'values kept', r.config)
        assertValid(r.config)
      },
    ),
    { numRuns: 1000 },
  )
})

// ---------------------------------------------------------------------------------------------
// read.ts, with a minimal stand-in for the DOM (Node has none)

class FakeElement {
  constructor(
    readonly tagName: string,
    readonly attrs: Record<string, string>,
  ) {}
  get attributes() {
    return Object.entries(this.attrs).map(([name, value]) => ({ name, value }))
  }
  getAttribute(name: string) {
    return this.attrs[name] ?? null
  }
}

class FakeScript extends FakeElement {}

function fakeDocument(elements: FakeElement[]): Document {
  const matches = (e: FakeElement, selector: string) => {
    if (selector === 'script[data-lp-account]') return e instanceof FakeScript && 'data-lp-account' in e.attrs
    if (selector === '[data-lp-account]:not(script)') return !(e instanceof FakeScript) && 'data-lp-account' in e.attrs
    if (selector === '[data-lp-section]') return 'data-lp-section' in e.attrs
    throw new Error('unexpected selector ' + selector)
  }
  return {
    baseURI: BASE,
    querySelector: (s: string) => elements.find((e) => matches(e, s)) ?? null,
    querySelectorAll: (s: string) => elements.filter((e) => matches(e, s)),
  } as unknown as Document
}

test('read: own script, first non-script element, every section, the document URL, pre-load copy', () => {
  const g = globalThis as Record<string, unknown>
  try {
    g.location = { href: BASE }
    const other = new FakeScript('SCRIPT', { 'data-lp-account': 'first', src: 'other.js' })
    const own = new FakeScript('SCRIPT', { ...REQUIRED, 'data-lp-section': 'a', src: 'tag.js', 'data-x': 'y' })
    const div = new FakeElement('DIV', { 'data-lp-account': 'div', 'data-lp-section': 'b,c', hidden: '' })
    const div2 = new FakeElement('DIV', { 'data-lp-account': 'second' })
    const span = new FakeElement('SPAN', { 'data-lp-section': 'd' })
    const doc = fakeDocument([other, own, div, div2, span])
    const running = own as unknown as HTMLScriptElement
    // No running script (run from a shadow tree or by a loader): the last script[data-lp-account]
    // is page content, read as the page element (CMS keys only, after the pre-load object); a
    // non-script [data-lp-account] element comes first.
    const decoy = new FakeScript('SCRIPT', { 'data-lp-account': 'decoy', 'data-lp-click-url': 'https://phish.example/' })
    expect(readRawConfig(fakeDocument([own, decoy]), null, undefined)).toMatchObject({ script: {}, element: { 'data-lp-account': 'decoy', 'data-lp-click-url': 'https://phish.example/' } })
    expect(readRawConfig(fakeDocument([decoy, div]), null, undefined).element).toEqual({ 'data-lp-account': 'div', 'data-lp-section': 'b,c' })
    expect(readRawConfig(fakeDocument([own, decoy]), running, undefined).element).toEqual({})

    const preload = { site: '1', debug: true, __x: 1 }
    const raw = readRawConfig(doc, running, copyPreload(preload))
    expect(raw).toEqual({
      script: { ...REQUIRED, 'data-lp-section': 'a' },
      element: { 'data-lp-account': 'div', 'data-lp-section': 'b,c' },
      pageSections: ['a', 'b,c', 'd'],
      baseUrl: BASE,
      preload: { site: '1', debug: true, __x: 1 },
    })
    // A copy: later changes to window.lpTag (the tag's own methods) do not change it.
    ;(preload as Record<string, unknown>).debug = () => {}
    expect(raw.preload?.debug).toBe(true)
    expect(resolveConfig(raw).config?.sections).toEqual(['a', 'b', 'c', 'd'])

    expect(readRawConfig(doc, null, copyPreload(null))).not.toHaveProperty('preload')
    expect(readRawConfig(doc, null, copyPreload('x'))).not.toHaveProperty('preload')
    expect(readRawConfig(doc, null, undefined).script).toEqual({})
    // A pre-load object with a throwing getter is passed as is, read field by field.
    const hostile = Object.defineProperty({ app: 'x' }, 'site', { get: () => { throw new Error('no') }, enumerable: true })
    expect(readRawConfig(doc, null, copyPreload(hostile)).preload).toBe(hostile)
    // A document that throws everywhere: still a RawConfig.
    const broken = new Proxy({}, { get() { throw new Error('dom') } }) as Document
    const r = readRawConfig(broken, broken as unknown as HTMLScriptElement, {})
    expect(r.element).toBeUndefined()
    expect(r.script).toEqual({})
  } finally {
    delete g.location
  }
})

// ---------------------------------------------------------------------------------------------
// Errors that say the fix, and copy-paste slips that are no error

test('surrounding whitespace is trimmed from every source, not an error', () => {
  const r = resolve({
    script: { [ACCOUNT]: ' 12345678\n', [DOMAIN]: '\tapi.example.net ' },
    preload: { app: ' a1b2c3 ', format: ' toaster', refresh: ' 120 ' },
    element: { 'data-lp-click-url': ' https://chat.example.com/{vid} ' },
  })
  expect(r.problems).toEqual([])
  expect(r.config).toMatchObject({ account: '12345678', app: 'a1b2c3', origin: 'https://api.example.net', format: 'toaster', refresh: 120 })
  // Not from an element: a click URL is not the page content's to give (unchanged rule).
  expect(r.config?.clickUrl).toBeUndefined()
  // Whitespace inside a value is still wrong.
  problem('account', { [ACCOUNT]: '1234 5678' })
})

test('refresh: whole seconds 60-600 as digits or a number; off by default; the fix clamps', () => {
  expect(config().refresh).toBeUndefined()
  expect(config({ 'data-lp-refresh': '60' }).refresh).toBe(60)
  expect(config({ 'data-lp-refresh': '600' }).refresh).toBe(600)
  expect(preloadValue('refresh', 90).config?.refresh).toBe(90)
  expect(resolve({ script: { ...REQUIRED, 'data-lp-refresh': '300' }, preload: { refresh: 90 } }).config?.refresh).toBe(300)
  const fixes: [string, string | undefined][] = [['30', '60'], ['59', '60'], ['601', '600'], ['3600', '600'], ['', undefined], ['0', undefined], ['1 min', undefined], ['90.5', '91'], ['-120', undefined]]
  for (const [bad, fix] of fixes) {
    const { message } = problem('refresh', { 'data-lp-refresh': bad })
    expect(message).toBe(`[lpTag] data-lp-refresh ${JSON.stringify(bad)} is invalid: whole seconds, 60-600${fix ? '; use ' + fix : ''}`)
  }
  expect(preloadValue('refresh', 90.5).problems[0]?.message).toBe('[lpTag] lpTag.refresh "90.5" is invalid: whole seconds, 60-600; use 91')
  for (const bad of [true, [120], {}, NaN]) expect(preloadValue('refresh', bad).problems.map((p) => p.name)).toEqual(['lpTag.refresh'])
  // Not from a page element: how often the tag calls the API is the brand's, not page content's.
  expect(resolve({ script: REQUIRED, element: { 'data-lp-refresh': '60' } }).config?.refresh).toBeUndefined()
})

test('a flag given as the string "true" or "false" on the pre-load object names the boolean', () => {
  expect(preloadValue('debug', 'true').problems[0]?.message).toBe('[lpTag] lpTag.debug "true" is invalid: true or false; use true')
  expect(preloadValue('dataLayer', 'false').problems[0]?.message).toBe('[lpTag] lpTag.dataLayer "false" is invalid: true or false; use false')
  expect(preloadValue('debug', 'yes').problems[0]?.message).toBe('[lpTag] lpTag.debug "yes" is invalid: true or false')
})

test('property: a named fix is always one the key accepts', () => {
  const text = fc.string({ maxLength: 40 })
  const near = fc.oneof(text, text.map((t) => 'http://' + t), text.map((t) => t + '.example.net'), fc.constantFrom('Toaster', 'SLIDE', 'nonE', 'pend', 'hist', '1.11'))
  fc.assert(
    fc.property(fc.constantFrom(DOMAIN, 'data-lp-engagements', 'data-lp-click-url', 'data-lp-format', 'data-lp-render', 'data-lp-consent', 'data-lp-spa', 'data-lp-refresh', 'data-lp-api-version'), near, (attribute, value) => {
      const r = resolve({ script: { ...REQUIRED, [attribute]: value } })
      for (const p of r.problems) {
        const fix = p.message.match(/; use (".*"|\d+)$/)?.[1]
        if (!fix) continue
        const fixed = resolve({ script: { ...REQUIRED, [attribute]: String(JSON.parse(fix)) } })
        if (fixed.problems.length) throw new Error(`${p.message} → ${fixed.problems[0]!.message}`)
      }
    }),
    { numRuns: 2000 },
  )
})

test('consent from the page\'s TCF CMP: data-lp-consent="tcf", and the vendor whose consent counts', () => {
  expect(config({ 'data-lp-consent': 'tcf' }).consent).toBe('tcf')
  expect(config({ 'data-lp-consent': 'tcf', 'data-lp-tcf-vendor': '755' }).tcfVendor).toBe(755)
  expect(preloadValue('tcfVendor', 42).config?.tcfVendor).toBe(42)
  expect(config().tcfVendor).toBeUndefined()
  for (const bad of ['0', '-1', '1.5', 'x', '']) expect(problem('tcfVendor', { 'data-lp-tcf-vendor': bad }).message).toBe(`[lpTag] data-lp-tcf-vendor ${JSON.stringify(bad)} is invalid: a positive integer (a Global Vendor List id)`)
  // A page element may say consent comes from the CMP (a CMS install), not which vendor counts.
  const e = resolve({ script: REQUIRED, element: { 'data-lp-consent': 'tcf', 'data-lp-tcf-vendor': '9' } })
  expect(e.config?.tcfVendor).toBeUndefined()
})
