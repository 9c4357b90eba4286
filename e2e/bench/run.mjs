// @ts-check
// The tag's cost, measured: bundle bytes, and in Debian Chromium the same page loaded with and
// without the tag, alternately, each run in a fresh browser context (fresh IndexedDB, so a new
// visitor every time). A benchmark, not a test: it prints a Markdown table and fails only when
// something does not run at all. `npm run bench` (builds first). RUNS=<n> changes the run count.
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../support/browsers.mjs'
import { createEmulator } from '../server/emulator.mjs'
import { createPageServer } from '../server/static.mjs'

const RUNS = Number(process.env.RUNS ?? 50)
const ACCOUNT = '12345678'
const APP = 'a1b2c3'
/** The site-wide engagement of e2e/server/campaigns.json: what a page without sections gets. */
const ENGAGEMENT = '3562981510'

/** @typedef {'baseline' | 'tag'} Variant */
/**
 * What one run measured, in ms unless named otherwise; tag-only fields are undefined for the baseline.
 * @typedef {{ dcl: number, load: number, fcp: number, heap: number, script: number, longCount: number, longTotal: number,
 *   shift: number, evalMs?: number, toRequest?: number, toDisplay?: number }} Sample
 */

// ---- bundle sizes, computed the way build.mjs prints them ----
const sizes = ['dist/tag.js', 'dist/debug.js'].map((file) => {
  const code = readFileSync(new URL(`../../${file}`, import.meta.url))
  return {
    file,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
})

// ---- the page: some real content, an inline catalog; the only difference is the tag's element ----
const catalog = JSON.stringify({ [ENGAGEMENT]: { format: 'toaster', title: 'Need a hand?', text: 'Our team is online.', button: 'Chat now' } })
const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4)}</p>`).join('\n')
/** @param {string} tag */
const pageHtml = (tag) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<style>body { font: 16px/1.5 sans-serif; max-width: 42rem; margin: 2rem auto } h1 { color: #0b63ce }</style>
<script type="application/json" data-lp-engagements>${catalog}</script>
${tag}
</head><body><header><h1>A product page</h1><nav><a href="#a">One</a> <a href="#b">Two</a></nav></header>
<main>${paragraphs}</main><footer>Footer</footer></body></html>`

/**
 * Runs in the page before anything else: observers for long tasks, layout shifts and resources;
 * the time `fetch` is called for the engagement request; the time OFFER_DISPLAY fires (bound through
 * the pre-load `lpTag.events` queue); the time the tag's script element finishes executing.
 */
function instrument() {
  const w = /** @type {any} */ (window)
  /** @type {{ long: number[], shift: number, fetchAt?: number, displayAt?: number, tagExecuted?: number }} */
  const bench = (w.__bench = { long: [], shift: 0 })
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.long.push(entry.duration)
  }).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    for (const entry of /** @type {any[]} */ (list.getEntries())) if (!entry.hadRecentInput) bench.shift += entry.value
  }).observe({ type: 'layout-shift', buffered: true })
  const original = window.fetch
  window.fetch = function (input, init) {
    const url = String(input instanceof Request ? input.url : input)
    if (bench.fetchAt === undefined && url.includes('/engagement?')) bench.fetchAt = performance.now()
    return original.call(this, input, init)
  }
  // A classic script's `load` event fires right after it has run: the end of the tag's top-level code.
  document.addEventListener(
    'load',
    (event) => {
      const target = /** @type {HTMLScriptElement} */ (event.target)
      if (target.tagName === 'SCRIPT' && target.src.endsWith('/tag.js')) bench.tagExecuted = performance.now()
    },
    true,
  )
  w.lpTag = { events: [['LP_OFFERS', 'OFFER_DISPLAY', () => (bench.displayAt ??= performance.now())]] }
}

/** Read in the page once the run is over. */
function collect() {
  const w = /** @type {any} */ (window)
  const bench = w.__bench
  const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0])
  const fcp = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint')
  const resources = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'))
  const tag = resources.find((entry) => entry.name.endsWith('/tag.js'))
  const engagement = resources.find((entry) => entry.name.includes('/engagement?'))
  return {
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    fcp: fcp ? fcp.startTime : NaN,
    long: /** @type {number[]} */ (bench.long),
    shift: /** @type {number} */ (bench.shift),
    tagEnd: tag ? tag.responseEnd : undefined,
    tagExecuted: /** @type {number | undefined} */ (bench.tagExecuted),
    fetchAt: /** @type {number | undefined} */ (bench.fetchAt),
    engagementEnd: engagement ? engagement.responseEnd : undefined,
    displayAt: /** @type {number | undefined} */ (bench.displayAt),
  }
}

/**
 * One page load in a fresh context.
 * @param {import('playwright-core').Browser} browser @param {string} url @param {Variant} variant
 * @returns {Promise<Sample>}
 */
async function run(browser, url, variant) {
  const context = await browser.newContext()
  try {
    await context.addInitScript(instrument)
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    await page.goto(url, { waitUntil: 'load' })
    if (variant === 'tag') await page.waitForFunction(() => /** @type {any} */ (window).__bench.displayAt !== undefined, undefined, { timeout: 10_000 })
    // Let the observers deliver what is still queued (long tasks are reported after they end).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))))
    const m = await page.evaluate(collect)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize
    const metrics = (await cdp.send('Performance.getMetrics')).metrics
    const script = (metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? NaN) * 1000
    /** @type {Sample} */
    const sample = { dcl: m.dcl, load: m.load, fcp: m.fcp, heap, script, longCount: m.long.length, longTotal: m.long.reduce((a, b) => a + b, 0), shift: m.shift }
    if (variant === 'tag') {
      if (m.tagEnd === undefined || m.tagExecuted === undefined || m.fetchAt === undefined || m.engagementEnd === undefined || m.displayAt === undefined) {
        throw new Error(`incomplete tag run: ${JSON.stringify(m)}`)
      }
      sample.evalMs = m.tagExecuted - m.tagEnd
      sample.toRequest = m.fetchAt - m.tagEnd
      sample.toDisplay = m.displayAt - m.engagementEnd
    }
    return sample
  } finally {
    await context.close()
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

/** @param {number[]} values @param {number} digits @param {number} [scale] */
function cell(values, digits, scale = 1) {
  if (values.length === 0) return '—'
  const scaled = values.map((v) => v / scale)
  return `${fmt(quantile(scaled, 0.5), digits)} (${fmt(quantile(scaled, 0.25), digits)}–${fmt(quantile(scaled, 0.75), digits)})`
}

const started = Date.now()
const emulator = await createEmulator({ port: 0 })
const site = await createPageServer({ port: 0 })
const executablePath = findChromium()
if (!executablePath) throw new Error('no Chromium found: see e2e/support/browsers.mjs')
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
try {
  const tagAttrs = `data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}"`
  site.setPage('/bench/baseline.html', pageHtml(''))
  site.setPage('/bench/tag.html', pageHtml(`<script async src="/tag.js" ${tagAttrs}></script>`))
  const urls = { baseline: `${site.url}/bench/baseline.html`, tag: `${site.url}/bench/tag.html` }

  // Warm-up (not counted): the first loads pay for Chromium's own caches and the JIT of the servers.
  for (const variant of /** @type {Variant[]} */ (['baseline', 'tag', 'baseline', 'tag'])) await run(browser, urls[variant], variant)

  /** @type {Record<Variant, Sample[]>} */
  const samples = { baseline: [], tag: [] }
  for (let i = 0; i < RUNS; i++) {
    // Alternate the order too, so that neither variant always runs right after the other.
    const order = /** @type {Variant[]} */ (i % 2 === 0 ? ['baseline', 'tag'] : ['tag', 'baseline'])
    for (const variant of order) samples[variant].push(await run(browser, urls[variant], variant))
    emulator.reset()
  }

  /** @param {Variant} variant @param {keyof Sample} key */
  const values = (variant, key) => samples[variant].map((s) => s[key]).filter((v) => v !== undefined)
  /** @param {keyof Sample} key */
  const delta = (key, digits = 1, scale = 1) => fmt((quantile(values('tag', key), 0.5) - quantile(values('baseline', key), 0.5)) / scale, digits)

  const version = browser.version()
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Chromium ${version}, headless; ${RUNS} runs per variant, alternating, a fresh context each.`,
    '',
    '| bundle | raw bytes | gzip | brotli |',
    '|---|---:|---:|---:|',
    ...sizes.map((s) => `| \`${s.file}\` | ${s.raw} | ${s.gzip} | ${s.brotli} |`),
    '',
    'Median (p25–p75); Δ is the difference of the medians.',
    '',
    '| metric | page without tag | page with tag | Δ |',
    '|---|---:|---:|---:|',
    `| tag.js top-level run: responseEnd → script \`load\` event (ms) | — | ${cell(values('tag', 'evalMs'), 1)} | |`,
    `| tag.js responseEnd → engagement \`fetch()\` called (ms) | — | ${cell(values('tag', 'toRequest'), 1)} | |`,
    `| engagement responseEnd → \`OFFER_DISPLAY\` (ms) | — | ${cell(values('tag', 'toDisplay'), 1)} | |`,
    `| script time, whole page (CDP ScriptDuration, ms) | ${cell(values('baseline', 'script'), 1)} | ${cell(values('tag', 'script'), 1)} | ${delta('script')} |`,
    `| long tasks (count) | ${cell(values('baseline', 'longCount'), 0)} | ${cell(values('tag', 'longCount'), 0)} | ${delta('longCount', 0)} |`,
    `| runs with a long task | ${values('baseline', 'longCount').filter((n) => n > 0).length}/${RUNS} | ${values('tag', 'longCount').filter((n) => n > 0).length}/${RUNS} | |`,
    `| long tasks (total ms) | ${cell(values('baseline', 'longTotal'), 0)} | ${cell(values('tag', 'longTotal'), 0)} | ${delta('longTotal', 0)} |`,
    `| layout shift (sum) | ${cell(values('baseline', 'shift'), 3)} | ${cell(values('tag', 'shift'), 3)} | ${delta('shift', 3)} |`,
    `| domContentLoaded (ms) | ${cell(values('baseline', 'dcl'), 1)} | ${cell(values('tag', 'dcl'), 1)} | ${delta('dcl')} |`,
    `| load (ms) | ${cell(values('baseline', 'load'), 1)} | ${cell(values('tag', 'load'), 1)} | ${delta('load')} |`,
    `| first contentful paint (ms) | ${cell(values('baseline', 'fcp'), 1)} | ${cell(values('tag', 'fcp'), 1)} | ${delta('fcp')} |`,
    `| JS heap after GC (KB) | ${cell(values('baseline', 'heap'), 0, 1024)} | ${cell(values('tag', 'heap'), 0, 1024)} | ${delta('heap', 0, 1024)} |`,
  ]
  console.log(lines.join('\n'))
  console.error(`bench: ${((Date.now() - started) / 1000).toFixed(0)} s`)
} finally {
  await browser.close()
  await site.close()
  await emulator.close()
}
