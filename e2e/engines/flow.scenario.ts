import { reportedImpressions } from '../support/offers.ts'
import { test, expect } from './fixtures.ts'
import { ACCEPT } from './offers.ts'

// The core flow on each engine, with that engine's own IndexedDB, timers, CSP and history: ids
// kept across a reload, the memory fallback where the engine refuses storage, the retry policy on a
// fake clock, consent pending, a strict CSP with Trusted Types, and single-page navigation.

test('the visitor and session ids are kept across a reload, in IndexedDB', async ({ tab, emulator }) => {
  await tab.openTagPage()
  const [first] = await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  await tab.page.reload()
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  const [, again] = emulator.received('engagement')
  expect([again!.query.vid, again!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
  expect(again!.status).toBe(200)
  expect(again!.body.identities[0].sub).toBe(emulator.received('engagement')[0]!.body.identities[0].sub)
  const stored = await tab.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('lp-tag')
        open.onsuccess = () => {
          const all = open.result.transaction('ids').objectStore('ids').getAll()
          all.onsuccess = () => (open.result.close(), resolve(all.result))
        }
      }),
  )
  expect(stored).toEqual([{ vid: first!.data.visitorId, sid: first!.data.sessionId, sub: expect.stringMatching(/^[0-9a-f-]{36}$/) }])
  expect((await tab.probe()).lines).toEqual([])
})

test('where the engine refuses IndexedDB (a sandboxed document, opaque origin), the ids live in memory: one warning', async ({ tab, emulator }) => {
  await tab.openTagPage({ headers: { 'Content-Security-Policy': 'sandbox allow-scripts' } })
  const [first] = await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  expect(first!.data.status).toBe('Available')
  await tab.evaluate(() => (window as any).lpTag.getEngagement())
  const [one, two] = emulator.received('engagement')
  expect(one!.headers.origin).toBe('null')
  expect([two!.query.vid, two!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
  expect(two!.body.identities[0].sub).toBe(one!.body.identities[0].sub)
  expect((await tab.probe()).lines).toEqual([{ type: 'warning', text: expect.stringContaining('IndexedDB is not usable') }])
})

test.describe('retry policy', () => {
  test.use({ clock: true })
  test('a 503 then a 200: the offer comes after exactly the first pause, 3 s', async ({ tab, emulator }) => {
    emulator.fault({ status: 503 })
    await tab.openTagPage()
    const [retry] = await tab.waitForEvent('LP_TAG', 'RETRY')
    expect(retry!.data).toEqual({ attempt: 1, delayMs: 3000, status: 503 })
    await tab.runFor(2999)
    await tab.quiet()
    expect(emulator.received('engagement')).toHaveLength(1)
    await tab.runFor(1)
    await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
    expect(emulator.received('engagement').map((r) => r.status)).toEqual([503, 201])
    expect((await tab.probe()).lines).toEqual([])
  })
})

test.describe('data-lp-refresh', () => {
  test.use({ clock: true })
  test('re-checks after 60 s of visible time; a hidden page does not poll, shown again it goes on', async ({ tab, emulator }) => {
    await tab.openTagPage({ attrs: { refresh: '60' } })
    await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
    // The engine's own visibilitychange, bubbling from document to window, with the state it reads.
    const visibility = (state: string) =>
      tab.evaluate((state) => {
        const w = window as any
        w.__visibility = state
        Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => w.__visibility })
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
      }, state)
    // In steps under 30 s: WebKitWebDriver times its own script out with a page timer, which the
    // fake clock would fire too.
    const runFor = async (ms: number) => {
      for (let left = ms; left > 0; left -= 20_000) await tab.runFor(Math.min(left, 20_000))
    }
    await runFor(30_000)
    await visibility('hidden')
    await runFor(300_000)
    await tab.quiet()
    expect(emulator.received('engagement')).toHaveLength(1)
    await visibility('visible')
    await runFor(30_000)
    await expect.poll(() => emulator.received('engagement').length).toBe(2)
    expect((await tab.offerEvents()).filter((e) => e !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY'])
    expect((await tab.probe()).lines).toEqual([])
  })
})

// The one scenario in real time, so that the engine's own timers are held to the policy too (the
// fake clock above replaces them): the second attempt 3 s after the first, within a tolerance.
test('a 503 then a 200 in real time: the second attempt about 3 s after the first', async ({ tab, emulator }) => {
  test.slow()
  emulator.fault({ status: 503 })
  await tab.openTagPage()
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  const [first, second] = emulator.received('engagement')
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(2950)
  expect(second!.at - first!.at).toBeLessThan(4000)
})

test('consent pending: no request and no database until consent(true)', async ({ tab, emulator }) => {
  await tab.openTagPage({ attrs: { consent: 'pending' } })
  await tab.waitForEvent('LP_TAG', 'READY')
  await tab.quiet()
  expect(emulator.requests).toEqual([])
  expect(await tab.evaluate(() => indexedDB.databases().then((all) => all.map((d) => d.name)))).toEqual([])
  await tab.evaluate(() => (window as any).lpTag.consent(true))
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  expect(await tab.evaluate(() => indexedDB.databases().then((all) => all.map((d) => d.name)))).toEqual(['lp-tag'])
})

test('a strict CSP page (default-src \'self\', Trusted Types where the engine has them): the whole offer flow, zero violations', async ({ tab, emulator }) => {
  const policy = [
    "default-src 'self'",
    `connect-src 'self' ${emulator.url}`,
    "style-src 'self'",
    "script-src 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types lp-tag',
  ].join('; ')
  await tab.openTagPage({ headers: { 'Content-Security-Policy': policy }, attrs: { format: 'toaster', debug: true } })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  // The debug panel loads through the lp-tag Trusted Types policy where the engine enforces them.
  await tab.waitFor(() => !!document.getElementById('lp-debug-host'))
  // The panel is drawn over the toaster (it stays above offers): closed, it lets the visitor through.
  await tab.click('#lp-debug-host >> button[aria-label="Close debug panel"]')
  await tab.click(ACCEPT)
  await tab.waitForEvent('LP_OFFERS', 'OFFER_REMOVE')
  expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impAccept'])
  const probe = await tab.probe()
  expect(probe.violations).toEqual([])
  expect(probe.lines).toEqual([])
  const trustedTypes = await tab.evaluate(() => typeof (window as any).trustedTypes?.createPolicy === 'function')
  test.info().annotations.push({ type: 'trusted types', description: trustedTypes ? 'enforced' : 'not in this engine' })
})

test('single-page navigation with data-lp-spa="history": pushState and back start page views', async ({ tab, emulator, site }) => {
  await tab.openTagPage({ attrs: { spa: 'history' }, path: `/app/${tab.engine}/home` })
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  await tab.evaluate((engine) => history.pushState({ step: 1 }, '', `/app/${engine}/products`), tab.engine)
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT', 2)
  // A query-only change is the same page to the Monitoring API.
  await tab.evaluate((engine) => history.replaceState(null, '', `/app/${engine}/products?sort=price#top`), tab.engine)
  await tab.evaluate(() => history.back())
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT', 3)
  expect(emulator.received('engagement').map((r) => r.body.entryPoints[0])).toEqual(
    ['home', 'products', 'home'].map((p) => `${site.url}/app/${tab.engine}/${p}`),
  )
  expect((await tab.probe()).lines).toEqual([])
})

test('each engine\'s IndexedDB: the page deleting the database is never blocked by the tag, and consent(false) erases it', async ({ tab }) => {
  await tab.openTagPage()
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  await tab.waitFor(() => indexedDB.databases().then((all) => all.some((d) => d.name === 'lp-tag')))
  const outcome = await tab.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const request = indexedDB.deleteDatabase('lp-tag')
        request.onsuccess = () => resolve('deleted')
        request.onerror = () => resolve('error')
        setTimeout(() => resolve('still blocked'), 3000)
      }),
  )
  expect(outcome).toBe('deleted')
  // The next check stores the ids again; withdrawing consent erases them.
  await tab.evaluate(() => (window as any).lpTag.getEngagement())
  await tab.waitFor(() => indexedDB.databases().then((all) => all.some((d) => d.name === 'lp-tag')))
  await tab.evaluate(() => (window as any).lpTag.consent(false))
  await tab.waitFor(() => indexedDB.databases().then((all) => !all.some((d) => d.name === 'lp-tag')), undefined, { message: 'the database to be deleted' })
})
