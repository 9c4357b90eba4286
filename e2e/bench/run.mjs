// @ts-check
// The tag's cost, measured side by side in one Debian Chromium: the same page with no tag, with the
// physical floor for the tag's job (floor.js: attributes, one IndexedDB get, the POST), with a
// peer (Plausible's tracker, peer.js), with dist/tag.js (its offer chunks fetched at low priority
// once the request has left) and with dist/tag.full.js (everything in one file). Each round runs
// every variant once, in rotated order, on a new `*.localhost` origin of one persistent profile: the
// first visit is a fresh visitor (empty cache and storage), the second a repeat visit (cached
// scripts, stored ids). Everything runs twice: at full speed, then with the CPU throttled 4× (a
// mid-range phone, `Emulation.setCPUThrottlingRate`). A benchmark, not a test: it prints Markdown
// tables and fails only when something does not run. `npm run bench` (builds first); RUNS=<n> sets
// the rounds (default 30).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../support/browsers.mjs'
import { createEmulator } from '../server/emulator.mjs'
import { createPageServer } from '../server/static.mjs'

const RUNS = Number(process.env.RUNS ?? 30)
const ACCOUNT = '12345678'
const APP = 'a1b2c3'
const ENGAGEMENT = '3562981510'
const root = new URL('../../', import.meta.url)
const started = Date.now()

/** @typedef {'none' | 'floor' | 'peer' | 'tag' | 'full'} Variant */
/** @type {Variant[]} */
const VARIANTS = ['none', 'floor', 'peer', 'tag', 'full']
const LABEL = { none: 'no tag', floor: 'floor', peer: 'Plausible', tag: 'tag.js', full: 'tag.full.js' }
/** CPU throttling rates: full speed, then a mid-range phone. */
const RATES = [1, 4]
/** @typedef {{ delay?: number, script?: number, dclToRequest?: number, toDisplay?: number, longCount: number, shift: number, pageScript: number }} Sample */

// ---- the scripts, each served the way a CDN serves them: cacheable, the chunk immutable ----
const brotli = (/** @type {Buffer | string} */ code) => brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
const distDir = new URL('dist/', root)
/** Every script of dist/ by file name: tag.js, tag.full.js, the two offer chunks, debug.js. */
const dist = Object.fromEntries(readdirSync(distDir).filter((file) => file.endsWith('.js')).map((file) => [file, readFileSync(new URL(file, distDir))]))
const chunks = Object.keys(dist).filter((file) => /^offer(-ui)?\.\w+\.js$/.test(file))
if (chunks.length !== 2) throw new Error(`expected the two offer chunks in dist/, found ${chunks.join(', ') || 'none'}`)
const floor = readFileSync(new URL('floor.js', import.meta.url))
const peer = Buffer.from(
  (await build({ entryPoints: [new URL('peer.js', import.meta.url).pathname], bundle: true, format: 'iife', minify: true, write: false, target: 'chrome100' })).outputFiles[0]?.text ?? '',
)

// ---- the page: some real content and an inline catalog; only the script element differs ----
const catalog = JSON.stringify({ [ENGAGEMENT]: { format: 'toaster', title: 'Need a hand?', text: 'Our team is online.', button: 'Chat now' } })
const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4)}</p>`).join('\n')
/** @param {string} script */
const pageHtml = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<style>body { font: 16px/1.5 sans-serif; max-width: 42rem; margin: 2rem auto } h1 { color: #0b63ce }</style>
<script type="application/json" data-lp-engagements>${catalog}</script>
${script}
</head><body><header><h1>A product page</h1><nav><a href="#a">One</a> <a href="#b">Two</a></nav></header>
<main>${paragraphs}</main><footer>Footer</footer></body></html>`

/**
 * Runs in the page before anything else, and reports through the console (no polling from the
 * test driver, whose injected script would compete with the tag for the main thread): the time of
 * the first request to the API, OFFER_DISPLAY (a pre-load listener), long tasks, layout shifts.
 */
function instrument() {
  const w = /** @type {any} */ (window)
  /** @type {{ long: number, shift: number, requestAt?: number, displayAt?: number }} */
  const bench = (w.__bench = { long: 0, shift: 0 })
  new PerformanceObserver((list) => void (bench.long += list.getEntries().length)).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    for (const entry of /** @type {any[]} */ (list.getEntries())) if (!entry.hadRecentInput) bench.shift += entry.value
  }).observe({ type: 'layout-shift', buffered: true })
  const fetch = window.fetch
  window.fetch = function (input, init) {
    if (bench.requestAt === undefined && /\/engagement\?|\/api\/event/.test(String(input))) {
      bench.requestAt = performance.now()
      console.debug('bench:request')
    }
    return fetch.call(this, input, init)
  }
  w.lpTag = { events: [['LP_OFFERS', 'OFFER_DISPLAY', () => ((bench.displayAt = performance.now()), console.debug('bench:display'))]] }
}

/** Read in the page once the visit is over. */
function collect() {
  const bench = /** @type {any} */ (window).__bench
  const resources = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'))
  const script = resources.find((entry) => /\/(tag(\.full)?|floor|peer)\.js$/.test(entry.name))
  const answer = resources.find((entry) => entry.name.includes('/engagement?'))
  const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0])
  return { ...bench, scriptUrl: script?.name, scriptEnd: script?.responseEnd, answerEnd: answer?.responseEnd, dcl: nav.domContentLoadedEventStart }
}

/** Main-thread script time (JS, compile, GC) in the trace between the script's evaluation and the request. */
const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'RunMicrotasks', 'v8.compile', 'TimerFire', 'MinorGC', 'MajorGC', 'FireIdleCallback'])
/** @param {any[]} events @param {string} scriptUrl */
function scriptTime(events, scriptUrl) {
  const send = events.find((e) => e.name === 'ResourceSendRequest' && /\/engagement\?|\/api\/event/.test(e.args?.data?.url ?? ''))
  const evaluate = events.find((e) => e.name === 'EvaluateScript' && e.args?.data?.url === scriptUrl)
  if (!send || !evaluate) return undefined
  /** @type {[number, number][]} */
  const intervals = events
    .filter((e) => e.ph === 'X' && e.pid === send.pid && e.tid === send.tid && SCRIPT_EVENTS.has(e.name))
    .map((e) => /** @type {[number, number]} */ ([Math.max(e.ts, evaluate.ts), Math.min(e.ts + (e.dur ?? 0), send.ts)]))
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0])
  let total = 0
  let end = -Infinity
  for (const [from, to] of intervals) {
    if (to <= end) continue
    total += to - Math.max(from, end)
    end = to
  }
  return total / 1000
}

/**
 * One visit: a trace from navigation to the request (or the offer), the page's own figures.
 * @param {import('playwright-core').BrowserContext} context @param {string} url @param {Variant} variant @param {number} rate
 * @returns {Promise<Sample>}
 */
async function visit(context, url, variant, rate) {
  const page = await context.newPage()
  try {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate })
    await cdp.send('Performance.enable')
    /** @type {any[]} */
    const events = []
    cdp.on('Tracing.dataCollected', (data) => void events.push(...data.value))
    const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' })
    const awaited = variant === 'none' ? undefined : variant === 'floor' || variant === 'peer' ? 'bench:request' : 'bench:display'
    const done =
      awaited &&
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${variant}: no ${awaited} within 30 s`)), 30_000)
        page.on('console', (message) => message.text() === awaited && (clearTimeout(timer), resolve(undefined)))
      })
    await page.goto(url, { waitUntil: 'load' })
    await done
    // Let observers deliver what is queued (long tasks are reported after they end).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))))
    const m = await page.evaluate(collect)
    const metrics = (await cdp.send('Performance.getMetrics')).metrics
    await cdp.send('Tracing.end')
    await traced
    /** @type {Sample} */
    const sample = { longCount: m.long, shift: m.shift, pageScript: (metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? NaN) * 1000 }
    if (variant !== 'none') {
      if (m.scriptEnd === undefined || m.requestAt === undefined) throw new Error(`${variant}: incomplete visit ${JSON.stringify(m)}`)
      sample.delay = m.requestAt - m.scriptEnd
      sample.script = scriptTime(events, m.scriptUrl)
      if (m.scriptEnd < m.dcl) sample.dclToRequest = m.requestAt - m.dcl
    }
    if (m.displayAt !== undefined && m.answerEnd !== undefined) sample.toDisplay = m.displayAt - m.answerEnd
    return sample
  } finally {
    await page.close()
  }
}

/** @param {number[]} values @param {number} q 0..1, linear interpolation */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return (sorted[low] ?? NaN) + ((sorted[high] ?? NaN) - (sorted[low] ?? NaN)) * (at - low)
}
/** @param {number} value @param {number} digits */
const fmt = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')
/** Median (p25–p75). @param {(number | undefined)[]} values @param {number} [digits] */
function cell(values, digits = 1) {
  const defined = /** @type {number[]} */ (values.filter((v) => v !== undefined && Number.isFinite(v)))
  if (!defined.length) return '—'
  return `${fmt(quantile(defined, 0.5), digits)} (${fmt(quantile(defined, 0.25), digits)}–${fmt(quantile(defined, 0.75), digits)})`
}

const emulator = await createEmulator({ port: 0 })
const site = await createPageServer({ port: 0 })
const executablePath = findChromium()
if (!executablePath) throw new Error('no Chromium found: see e2e/support/browsers.mjs')
const profile = mkdtempSync(join(tmpdir(), 'bench-profile-'))
const context = await chromium.launchPersistentContext(profile, { executablePath, args: CHROMIUM_ARGS, headless: true })
const port = new URL(site.url).port
try {
  await context.addInitScript(instrument)
  const js = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }
  const immutable = { ...js, 'Cache-Control': 'public, max-age=31536000, immutable' }
  site.setPage('/bench/floor.js', { body: floor.toString(), headers: js, type: js['Content-Type'] })
  site.setPage('/bench/peer.js', { body: peer.toString(), headers: js, type: js['Content-Type'] })
  // As a CDN serves them: cacheable, the hash-named chunks immutable, CORS for their integrity.
  for (const [file, code] of Object.entries(dist)) {
    const headers = { ...(chunks.includes(file) ? immutable : js), 'Access-Control-Allow-Origin': '*' }
    site.setPage(`/bench/dist/${file}`, { body: code.toString(), headers, type: js['Content-Type'] })
  }
  const lp = `data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}"`
  const scripts = {
    none: '',
    floor: `<script async src="/bench/floor.js" ${lp}></script>`,
    peer: `<script async src="/bench/peer.js" data-endpoint="${emulator.url}"></script>`,
    // Consent explicit on the script, as a site that wants the fastest tag writes it: the stored ids
    // are then read while the document is still parsed.
    tag: `<script async src="/bench/dist/tag.js" ${lp} data-lp-consent="granted"></script>`,
    full: `<script async src="/bench/dist/tag.full.js" ${lp} data-lp-consent="granted"></script>`,
  }
  for (const variant of VARIANTS) site.setPage(`/bench/${variant}.html`, { body: pageHtml(scripts[variant]), headers: { 'Cache-Control': 'no-store' } })
  const url = (/** @type {number} */ round, /** @type {Variant} */ variant) => `http://r${round}-${variant}.localhost:${port}/bench/${variant}.html`

  // Warm-up (not counted): Chromium's own caches, the servers' JIT.
  for (const variant of VARIANTS) await visit(context, url(-1, variant), variant, 1)

  /** @typedef {Record<Variant, { fresh: Sample[], repeat: Sample[] }>} Samples */
  /** @type {Record<number, Samples>} */
  const byRate = {}
  for (const rate of RATES) {
    const samples = (byRate[rate] = /** @type {Samples} */ (/** @type {unknown} */ (Object.fromEntries(VARIANTS.map((variant) => [variant, { fresh: [], repeat: [] }])))))
    for (let round = 0; round < RUNS; round++) {
      const order = [...VARIANTS.slice(round % VARIANTS.length), ...VARIANTS.slice(0, round % VARIANTS.length)]
      for (const variant of order) {
        const at = url(rate * 1000 + round, variant)
        samples[variant].fresh.push(await visit(context, at, variant, rate))
        samples[variant].repeat.push(await visit(context, at, variant, rate))
      }
      emulator.reset()
    }
  }

  /** The table of one rate's samples. @param {Samples} samples */
  const table = (samples) => {
    /** @param {Variant} variant @param {'fresh' | 'repeat'} visitKind @param {keyof Sample} key */
    const values = (variant, visitKind, key) => samples[variant][visitKind].map((sample) => sample[key])
    /** Tag − floor, round by round. @param {'fresh' | 'repeat'} visitKind @param {keyof Sample} key */
    const paired = (visitKind, key) =>
      samples.tag[visitKind].map((sample, round) => {
        const a = sample[key]
        const b = samples.floor[visitKind][round]?.[key]
        return a === undefined || b === undefined ? undefined : a - b
      })
    /** @param {string} label @param {keyof Sample} key @param {number} [digits] @param {Variant[]} [variants] */
    const rows = (label, key, digits = 1, variants = VARIANTS) =>
      /** @type {const} */ (['fresh', 'repeat']).map(
        (visitKind) =>
          `| ${label}, ${visitKind} | ${VARIANTS.map((variant) => (variants.includes(variant) ? cell(values(variant, visitKind, key), digits) : '—')).join(' | ')} | ${variants.includes('floor') ? cell(paired(visitKind, key), digits) : '—'} |`,
      )
    return [
      `| metric | ${VARIANTS.map((variant) => LABEL[variant]).join(' | ')} | tag − floor |`,
      `|---|${VARIANTS.map(() => '---:').join('|')}|---:|`,
      ...rows("script's responseEnd → API request", 'delay', 1, ['floor', 'peer', 'tag', 'full']),
      ...rows('main-thread script time until the request', 'script', 1, ['floor', 'peer', 'tag', 'full']),
      ...rows('DOMContentLoaded → request (script ran before it)', 'dclToRequest', 1, ['floor', 'tag', 'full']),
      ...rows('engagement answer → OFFER_DISPLAY', 'toDisplay', 1, ['tag', 'full']),
      ...rows('script time, whole visit (CDP ScriptDuration)', 'pageScript'),
      ...rows('long tasks (count)', 'longCount', 0),
      ...rows('layout shift (sum)', 'shift', 3),
    ]
  }

  /** @type {[string, Buffer][]} */
  const sizes = [
    ...Object.entries(dist).map(([file, code]) => /** @type {[string, Buffer]} */ ([`dist/${file}`, code])),
    ['e2e/bench/floor.js', floor],
    ['@plausible-analytics/tracker 0.4.6, bundled', peer],
  ]
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Chromium ${context.browser()?.version() ?? chromium.name()} headless, one persistent profile; ${RUNS} rounds per CPU rate, each variant once per round in rotated order on a new \`*.localhost\` origin: a fresh visit, then a repeat visit.`,
    '',
    '| script | raw bytes | gzip | brotli |',
    '|---|---:|---:|---:|',
    ...sizes.map(([name, code]) => `| \`${name}\` | ${code.length} | ${gzipSync(code, { level: 9 }).length} | ${brotli(code)} |`),
    '',
    'Median (p25–p75), ms unless named; the last column is tag.js − floor, paired round by round.',
    '',
    '**Full speed**',
    '',
    ...table(/** @type {Samples} */ (byRate[1])),
    '',
    '**CPU throttled 4× (a mid-range phone)**',
    '',
    ...table(/** @type {Samples} */ (byRate[4])),
  ]
  console.log(lines.join('\n'))
  console.error(`bench: ${((Date.now() - started) / 1000).toFixed(0)} s`)
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
  await site.close()
  await emulator.close()
}
