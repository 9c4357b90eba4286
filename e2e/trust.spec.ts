import type { Page, Request } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, fired, freezeTime, settle, tagScript, ACCOUNT, APP, type Emulator, type Site, quiet } from './support/fixtures.ts'
import { ENGAGEMENT, offerEventNames, reportedImpressions } from './support/offers.ts'
import { recordKey, seedStoredRecord, storedRecords } from './support/storage.ts'
import { ATTACKER, attacker } from './support/attacker.ts'

// Trust under attack and under races (contract sections 1, 2, 4, 5, 6, 7 and 9): what a hostile
// page, a careless CMS, an extension or an unlucky ordering of events could make the tag do, and
// must not. Each block is one promise of the contract; each test failed on the tag before it held.

/** The URLs of every debug.js the page asked for. */
function debugLoads(page: Page) {
  const urls: string[] = []
  page.on('request', (request) => request.url().includes('debug.js') && urls.push(request.url()))
  return urls
}

/** Opens a page served with `headers`; the tag comes from `tag` (HTML), so it may be anything. */
async function openRaw(page: Page, site: Site, path: string, html: string, headers: Record<string, string> = {}) {
  site.setPage(path, { body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${html}`, headers })
  await page.goto(`${site.url}${path}`)
}

test.describe('1. no foreign script, ever', () => {
  test('a <base> and a data-lp-debug element in user content load nothing from the attacker', async ({ page, site, emulator, consoleLines }) => {
    const hits = await attacker(page)
    const loads = debugLoads(page)
    // A CMS comment field: markup nobody on the brand's side wrote, after the tag in the page.
    await openRaw(
      page,
      site,
      '/trust/base.html',
      `${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('async', 'defer')}</head>
<body><main><h1>Article</h1><div class="comment"><base href="${ATTACKER}/"><div data-lp-account="x" data-lp-debug></div></div></main></body></html>`,
    )
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    // Even when the page itself asks for the panel now: the tag's src is relative and a <base> now
    // changes what it resolves to, so the tag cannot tell where it came from and loads nothing.
    await page.evaluate(() => (window as any).lpTag.debug())
    await quiet(page, emulator)
    expect(hits).toEqual([])
    expect(loads).toEqual([])
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined()
    // The offer UI chunk comes from beside tag.js too: it does not load either (tag.full.js has it built in).
    expect(consoleLines).toEqual([
      { type: 'error', text: expect.stringMatching(/offers cannot be drawn: .*absolute src/) },
      { type: 'error', text: expect.stringMatching(/debug panel cannot load: .*absolute src/) },
    ])
  })

  test('with an absolute src, a <base> added later changes nothing: debug.js comes from beside tag.js', async ({ page, site, emulator }) => {
    const hits = await attacker(page)
    const loads = debugLoads(page)
    await openRaw(page, site, '/trust/dir/page.html', `${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('src="/tag.js"', `src="${site.url}/tag.js"`)}</head><body><main><h1>x</h1></main></body></html>`)
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate((href) => {
      document.head.prepend(Object.assign(document.createElement('base'), { href }))
      ;(window as any).lpTag.debug()
    }, `${ATTACKER}/`)
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    expect(loads).toEqual([`${site.url}/debug.js`])
    expect(hits).toEqual([])
  })

  test('<img name="currentScript"> and a decoy script element: a deferred tag keeps its own configuration', async ({ page, site, emulator }) => {
    const hits = await attacker(page)
    await openRaw(
      page,
      site,
      '/trust/clobber.html',
      `${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, section: 'own' }).replace('async', 'defer')}</head>
<body><main><img name="currentScript" alt=""><script type="text/plain" src="/x.js" data-lp-account="decoy" data-lp-app="decoy" data-lp-domain="${ATTACKER}" data-lp-debug data-lp-click-url="${ATTACKER}/phish"></script></main></body></html>`,
    )
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.config).toMatchObject({ account: ACCOUNT, app: APP, origin: emulator.url, sections: ['own'], debug: false })
    expect(ready!.data.config.clickUrl).toBeUndefined()
    await waitForRequests(emulator, 1)
    expect(hits).toEqual([])
  })

  test('a tag whose script cannot be identified (run by a loader) loads no debug.js: one console line says why', async ({ page, site, emulator, consoleLines }) => {
    const loads = debugLoads(page)
    await openRaw(
      page,
      site,
      '/trust/loader/page.html',
      `<script>window.lpTag = { site: '${ACCOUNT}', app: '${APP}', domain: '${emulator.url}' }
fetch('/tag.js').then((r) => r.text()).then((code) => (0, eval)(code))</script></head><body><main><h1>x</h1></main></body></html>`,
    )
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.debug())
    await quiet(page, emulator)
    expect(loads).toEqual([])
    expect(consoleLines).toEqual([
      { type: 'error', text: expect.stringMatching(/offers cannot be drawn: .*absolute src/) },
      { type: 'error', text: expect.stringContaining('debug panel cannot load') },
    ])
  })
})

test.describe('2. page elements configure only what a CMS needs', () => {
  test('a page element gives account, app, domain and consent; never a click URL, catalog, debug, render, format, dataLayer or spa', async ({ page, emulator, openTagPage, context }) => {
    const hits = await attacker(page)
    await openTagPage({
      attrs: { account: null, app: null, domain: null },
      body: `<main><div hidden data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}" data-lp-click-url="${ATTACKER}/phish?v={vid}"
 data-lp-engagements="${ATTACKER}/catalog.json" data-lp-debug data-lp-render="none" data-lp-format="overlay" data-lp-datalayer data-lp-spa="history"></div></main>`,
    })
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.sources).toMatchObject({ account: 'element', app: 'element', domain: 'element', format: 'default', render: 'default', debug: 'default' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    // Rendered (not headless), as the default slide-out (not an overlay taking focus).
    await expect(page.locator('[data-lp-engagement]')).toHaveAttribute('data-lp-format', 'slideout')
    await page.locator('[aria-expanded]').click()
    await page.locator('[data-lp-action="accept"]').click()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
    expect(context.pages()).toHaveLength(1)
    expect(await page.evaluate(() => (window as any).dataLayer)).toBeUndefined()
    await expect(page.locator('#lp-debug-host')).toHaveCount(0)
    expect(hits).toEqual([])
  })

  test('a bad [data-lp-section] value anywhere on the page is dropped with one warning; the tag runs', async ({ emulator, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { section: 'home' }, body: `<main><div data-lp-section="shoes"></div><p data-lp-section="${'x'.repeat(101)}">comment</p></main>` })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.entryPoints).toEqual(expect.arrayContaining(['sec://home', 'sec://shoes']))
    expect(request!.body.entryPoints.filter((e: string) => e.startsWith('sec://'))).toEqual(['sec://home', 'sec://shoes'])
    expect(consoleLines).toEqual([{ type: 'warning', text: expect.stringMatching(/^\[lpTag\] a \[data-lp-section\] value "x+…" is ignored/) }])
  })
})

test.describe('3. one engagement request in flight', () => {
  test('20 getEngagement() calls in one tick send one request; every promise settles', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const results = await page.evaluate(() => Promise.all(Array.from({ length: 20 }, () => (window as any).lpTag.getEngagement())))
    expect(results.slice(0, 19).map((r) => r.error?.code)).toEqual(Array(19).fill('aborted'))
    expect(results[19]!.status).toBe('Available')
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(2)
  })

  test('pushState + replaceState + pushState in one tick send one request, for the last page', async ({ page, emulator, openTagPage, site }) => {
    await openTagPage({ attrs: { spa: 'history' }, path: '/app/home' })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      history.pushState(null, '', '/app/a')
      history.replaceState(null, '', '/app/b')
      history.pushState(null, '', '/app/c')
    })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
    await quiet(page, emulator)
    expect(emulator.received('engagement').map((r) => r.body.entryPoints[0])).toEqual([`${site.url}/app/home`, `${site.url}/app/c`])
  })
})

const OLD = { vid: 'OLDVISITOR00000000000000', sid: 'OLDSESSION00000000000000', sub: '00000000-0000-4000-8000-000000000000' }

/** No request the emulator received carries the old ids, in its query or its body. */
function expectNoOldIds(emulator: Emulator) {
  for (const request of emulator.requests) {
    expect(request.query.vid).not.toBe(OLD.vid)
    expect(request.query.sid).not.toBe(OLD.sid)
    expect(JSON.stringify(request.body ?? '')).not.toContain(OLD.sub)
  }
}

test.describe('4. consent always holds', () => {
  for (const consent of [null, 'granted'])
    test(`consent(false) before the document is parsed: nothing sent, what an earlier visit stored is deleted (consent ${consent ?? 'left to the page'} on the script)`, async ({ page, emulator, site }) => {
      await seedStoredRecord(page, site, recordKey(emulator), OLD)
      // A synchronous tag in the head (with consent on it, it reads the stored ids at once), then
      // the page's consent banner script, while parsing.
      await openRaw(
        page,
        site,
        '/trust/early.html',
        `${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, consent }).replace('async ', '')}</head><body><script>lpTag.consent(false)</script><main><h1>x</h1></main></body></html>`,
      )
      await quiet(page, emulator)
      expect(emulator.requests).toEqual([])
      expect(await page.evaluate(() => indexedDB.databases())).toEqual([])
      // Given again: a new visitor, the old ids never come back.
      await page.evaluate(() => (window as any).lpTag.consent(true))
      await waitForRequests(emulator, 1)
      expectNoOldIds(emulator)
    })

  test('consent(false) while the stored ids are read: the read never brings them back', async ({ page, emulator, openTagPage, site }) => {
    await seedStoredRecord(page, site, recordKey(emulator), OLD)
    await openTagPage({ attrs: { consent: 'pending' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    const result = await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.consent(true) // starts a check that reads the stored ids…
      tag.consent(false) // …withdrawn before the read answers
      tag.consent(true)
      return tag.getEngagement()
    })
    expect(result.status).toBe('Available')
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(1)
    expectNoOldIds(emulator)
    expect(JSON.stringify(await storedRecords(page))).not.toContain(OLD.vid)
  })

  test('consent(false) while the catalog loads after the answer: no offer, no report, the new ids not stored', async ({ page, emulator, openTagPage }) => {
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/trust/catalog.json', async (route) => {
      await held
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ [ENGAGEMENT]: { format: 'toaster' } }) })
    })
    await openTagPage({ attrs: { engagements: '/trust/catalog.json' } })
    // The answer is in and its ids written: the check waits for the catalog now.
    await expect.poll(() => storedRecords(page)).toHaveLength(1)
    await page.evaluate(() => (window as any).lpTag.consent(false))
    release()
    await quiet(page, emulator)
    expect(await offerEventNames(page)).toEqual([])
    expect(await fired(page, 'LP_TAG', 'ENGAGEMENT')).toEqual([])
    expect(emulator.received('report')).toEqual([])
    expect(await storedRecords(page)).toEqual([])
  })

  test('consent(false) after a storage write failed still deletes the stored record', async ({ page, emulator, openTagPage, site }) => {
    await seedStoredRecord(page, site, recordKey(emulator), OLD)
    await page.addInitScript(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      }
    })
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(emulator.received('engagement')[0]!.query.vid).toBe(OLD.vid)
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await expect.poll(() => page.evaluate(() => indexedDB.databases())).toEqual([])
  })

  test('consent(false) while pending creates no database', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { consent: 'pending' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await quiet(page, emulator)
    expect(await page.evaluate(() => indexedDB.databases())).toEqual([])
    expect(emulator.requests).toEqual([])
  })
})

test('5. no stale offer: page 1\'s answer arriving while the catalog loads shows nothing on page 2', async ({ page, emulator, openTagPage }) => {
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/trust/stale-catalog.json', async (route) => {
    await held
    await route.fulfill({ contentType: 'application/json', body: '{}' })
  })
  await openTagPage({ attrs: { engagements: '/trust/stale-catalog.json' }, path: '/shop/page.html' })
  await expect.poll(() => emulator.received('engagement')[0]?.status).toBe(201)
  // The page has taken that answer (its ids are stored), not only the emulator sent it: a newPage
  // before then would abort page 1's request instead.
  await expect.poll(async () => (await storedRecords(page)).length).toBe(1)
  // Page 2 (the checkout engagement) while page 1's answer waits for the catalog.
  await page.evaluate(() => (window as any).lpTag.newPage('/shop/checkout'))
  await expect.poll(() => emulator.received('engagement')[1]?.status).toBe(200)
  release()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await quiet(page, emulator)
  const starts = await fired(page, 'LP_OFFERS', 'START')
  expect(starts.map((e) => String(e.data.engagementId))).toEqual(['3562981210'])
  expect(await reportedImpressions(emulator, 1)).toEqual(['impDisplay'])
  expect(emulator.received('report')[0]!.body.engagementAttributes[0].engId).toBe(3562981210)
})

test('6. no request carries the page\'s query string or fragment in Referer, whatever the Referrer-Policy', async ({ page, site, emulator }) => {
  const referers: [string, string | null][] = []
  page.on('request', async (request: Request) => {
    if (!request.url().includes('/t/')) referers.push([request.url(), await request.headerValue('referer')])
  })
  site.setPage('/trust/ref/catalog.json', { type: 'application/json', body: JSON.stringify({ [ENGAGEMENT]: { format: 'toaster' } }) })
  site.setPage('/trust/ref/page.html', {
    headers: { 'Referrer-Policy': 'unsafe-url' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, engagements: '/trust/ref/catalog.json', debug: true })}</head><body><main><h1>x</h1></main></body></html>`,
  })
  await page.goto(`${site.url}/trust/ref/page.html?email=jane%40example.com#order-42`)
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await waitForRequests(emulator, 1, 'report')
  await expect(page.locator('#lp-debug-host')).toHaveCount(1)
  await quiet(page, emulator)
  const made = referers.filter(([url]) => /engagement|report|catalog|debug\.js/.test(url))
  expect(made.map(([url]) => url.replace(/\?.*/, '').split('/').pop()).sort()).toEqual(['catalog.json', 'debug.js', 'engagement', 'report'])
  for (const [url, referer] of made) expect([url, referer]).toEqual([url, expect.not.stringMatching(/email|order|\/trust\//)])
})

test('7. a polluted Object.prototype changes nothing the tag sends, stores or renders', async ({ page, emulator, openTagPage }) => {
  await page.addInitScript(() => {
    const polluted = {
      ...{ vid: 'POLLUTEDVID0000000000000', sid: 'POLLUTEDSID0000000000000', sub: 'polluted-sub', loaded: true, onEngagement: () => ((window as any).__leaked = 1) },
      ...{ accent: '#ff0000', title: 'Polluted title', validForSeconds: 1, zone: 'evil', format: 'overlay', pageId: 'evil', conversation: { conversationId: 'x' } },
      ...{ mode: 'no-cors', integrity: 'sha256-AAAA', headers: { 'X-Evil': '1' }, keepalive: true, referrer: '' },
    }
    Object.assign(Object.prototype, polluted)
  })
  await freezeTime(page)
  await openTagPage({ attrs: { format: 'toaster' } })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  const [request] = emulator.received('engagement')
  expect(request!.query).toEqual({ v: '1.1', obh: 'false' })
  expect(request!.headers['x-evil']).toBeUndefined()
  expect(await page.evaluate(() => (window as any).__leaked)).toBeUndefined()
  expect(request!.body.identities[0].sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  const look = await page.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    return { title: root.querySelector('.t')!.textContent, accent: getComputedStyle(root.querySelector('[data-lp-action="accept"]')!).backgroundColor }
  })
  expect(look).toEqual({ title: 'Questions?', accent: 'rgb(11, 99, 206)' })
  await expect(page.locator('[data-lp-engagement]')).toHaveAttribute('data-lp-format', 'toaster')
  // The polluted validity (1 s) is not the offer's: it stays for the API's 900 s.
  await page.clock.runFor(5000)
  expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
  // A request object from the page ({}) brings no vid or sid either: the stored ones go.
  const [first] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
  await page.evaluate(() => (window as any).lpTag.getEngagement({}))
  const [, second] = await waitForRequests(emulator, 2)
  expect([second!.query.vid, second!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
})

/** Page content named like a document member the tag reads: `document.visibilityState` is this element. */
const CLOBBERING_VISIBILITY = '<main><h1>Test page</h1><img name="visibilityState" alt=""></main>'

test.describe('8. an offer shown is an offer seen', () => {
  for (const style of ['transform: translateZ(0)', 'filter: blur(0)', 'contain: paint', 'will-change: transform']) {
    test(`<body> with ${style}: the toaster is in the viewport`, async ({ page, openTagPage }) => {
      await openTagPage({ attrs: { format: 'toaster' }, head: `<style>body { ${style}; height: 13000px; margin: 0 }</style>` })
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
      const box = await page.locator('[data-lp-engagement]').boundingBox()
      const viewport = page.viewportSize()!
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height)
      expect(box!.y).toBeGreaterThan(0)
    })
  }

  test('without popovers (older engines), outside <body>: still in the viewport', async ({ page, openTagPage }) => {
    await page.addInitScript(() => {
      delete (HTMLElement.prototype as any).showPopover
    })
    await openTagPage({ attrs: { format: 'toaster' }, head: '<style>body { transform: translateZ(0); height: 13000px; margin: 0 }</style>' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    const box = await page.locator('[data-lp-engagement]').boundingBox()
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height)
  })

  test('page content named visibilityState (DOM clobbering) does not hide the impression', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, body: CLOBBERING_VISIBILITY })
    expect(await page.evaluate(() => typeof (document as any).visibilityState)).toBe('object')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
  })

  test('page content named visibilityState does not stop the refresh countdown either', async ({ page, openTagPage }) => {
    await freezeTime(page)
    await openTagPage({ attrs: { format: 'toaster', refresh: '60' }, body: CLOBBERING_VISIBILITY })
    // Shown, not only answered: a countdown ending while the offer's UI still loads waits a round.
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await settle(page)
    await page.clock.runFor(60_000)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
  })

  test('without popovers too, the debug panel stays above an offer shown after it', async ({ page, openTagPage }) => {
    await page.addInitScript(() => {
      delete (HTMLElement.prototype as any).showPopover
    })
    await page.setViewportSize({ width: 420, height: 700 })
    await openTagPage({ attrs: { format: 'toaster', debug: true } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    // Where panel and toaster overlap (bottom right), the panel is on top.
    const offer = (await page.locator('[data-lp-engagement]').boundingBox())!
    const panel = (await page.locator('#lp-debug-host').boundingBox())!
    const x = Math.max(offer.x, panel.x) + 10
    const y = Math.max(offer.y, panel.y) + 10
    expect(x < Math.min(offer.x + offer.width, panel.x + panel.width) && y < Math.min(offer.y + offer.height, panel.y + panel.height)).toBe(true)
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.id, [x, y])).toBe('lp-debug-host')
  })

  test('the debug panel stays above an offer shown after it', async ({ page, openTagPage }) => {
    await page.setViewportSize({ width: 420, height: 700 })
    await openTagPage({ attrs: { format: 'overlay', debug: true } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    // A new offer, drawn after the panel opened.
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    const point = await page.locator('#lp-debug-host').evaluate((host) => {
      const r = host.getBoundingClientRect()
      return [r.left + r.width / 2, r.top + 20]
    })
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.id, point)).toBe('lp-debug-host')
  })
})

test.describe('9. nothing is lost silently', () => {
  test('an SDE report over keepalive\'s 64 KB is still delivered', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await reportedImpressions(emulator, 1)
    await page.evaluate(() => {
      const big = (n: number) => ({ type: 'searchInfo', keywords: Array.from({ length: 90 }, (_, i) => `${n}-${i}-` + 'k'.repeat(480)) })
      ;(window as any).lpTag.sdes.send([big(1), big(2)])
    })
    // Recorded on arrival, its body once read: 64 KB may still be streaming when the request counts.
    await expect.poll(() => emulator.received('report')[1]?.body).toBeTruthy()
    const [, sdes] = emulator.received('report')
    expect(sdes!.body.engagementAttributes.map((a: { type: string }) => a.type)).toEqual(['searchInfo', 'searchInfo'])
    expect(JSON.stringify(sdes!.body).length).toBeGreaterThan(65536)
  })

  test('an offer whose host the page removes ends with OFFER_REMOVE, and the next one can show', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => document.querySelector('[data-lp-engagement]')!.remove())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    expect((await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE', 'START', 'OFFER_DISPLAY'])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(1)
  })
})

test.describe('10. every promise settles', () => {
  test('a throwing getter in the pre-load sdes: the tag starts, getEngagement() settles', async ({ page, openTagPage }) => {
    await openTagPage({ head: `<script>window.lpTag = {}; Object.defineProperty(lpTag, 'sdes', { get() { throw new Error('hostile') }, enumerable: true })</script>` })
    const result = await page.evaluate(() => (window as any).lpTag.getEngagement())
    expect(['Available', 'NotAvailable']).toContain(result.status)
  })

  test('a clobbered querySelectorAll: getEngagement() resolves with error code "internal"', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({ head: `<script>document.querySelectorAll = () => { throw new Error('clobbered') }</script>` })
    const result = await page.evaluate(() => (window as any).lpTag.getEngagement())
    expect(result).toEqual({ status: 'NotAvailable', error: { code: 'internal', message: expect.stringContaining('clobbered') } })
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('the tag failed to start') }])
  })
})

test.describe('11. the tag never blocks the page\'s storage', () => {
  for (const [name, action] of [
    ['the page deletes the database', 'delete'],
    ['another tab upgrades it', 'upgrade'],
  ] as const) {
    test(`${name}: not blocked`, async ({ page, openTagPage }) => {
      await openTagPage()
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      await expect.poll(() => storedRecords(page)).toHaveLength(1)
      const outcome = await page.evaluate(
        (action) =>
          new Promise<string>((resolve) => {
            const request = action === 'delete' ? indexedDB.deleteDatabase('lp-tag') : indexedDB.open('lp-tag', 99)
            request.onsuccess = () => ((request.result as IDBDatabase | undefined)?.close?.(), resolve('done'))
            request.onerror = () => resolve('error')
            setTimeout(() => resolve('still blocked'), 2000)
          }),
        action,
      )
      expect(outcome).toBe('done')
    })
  }
})

test('12. event data cannot steer the tag: listeners changing READY and ENGAGEMENT data change nothing', async ({ page, emulator, openTagPage }) => {
  await freezeTime(page)
  await openTagPage({
    head: `<script>window.lpTag = { events: [
  ['LP_TAG', 'READY', (data) => { data.config.origin = 'http://127.0.0.1:9'; data.config.account = 'evil' }],
  ['LP_TAG', 'ENGAGEMENT', (data) => { data.visitorId = 'EVILVISITOR0000000000000'; if (data.engagementDetails) data.engagementDetails.validForSeconds = 1 }],
] }</script>`,
  })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await page.clock.runFor(5000)
  expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
  const [first] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
  expect(first!.data.visitorId).not.toBe('EVILVISITOR0000000000000')
  await page.evaluate(() => (window as any).lpTag.getEngagement())
  const requests = await waitForRequests(emulator, 2)
  expect(requests[1]!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
  expect(requests[1]!.query.vid).toBe(first!.data.visitorId)
})

test.describe('13. small ones', () => {
  test('overlay: Escape in the page\'s own dialog over the offer does not decline it', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { format: 'overlay' }, body: '<main><h1>x</h1><dialog id="d"><button id="ok">OK</button></dialog></main>' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (document.getElementById('d') as HTMLDialogElement).showModal())
    await expect(page.locator('#ok')).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(page.locator('#d')).not.toHaveAttribute('open')
    expect(await offerEventNames(page)).not.toContain('OFFER_DECLINED')
    // The offer's own Escape still declines it.
    await page.locator('[data-lp-action="accept"]').focus()
    await page.keyboard.press('Escape')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DECLINED')
  })

  test('the debug panel never throws into the page, whatever an event carries', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { debug: true } })
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    await page.evaluate(() => {
      const hostile = { toJSON() { throw new Error('toJSON') }, toString() { throw new Error('toString') } }
      ;(window as any).lpTag.events.trigger('PAGE', 'HOSTILE', hostile)
      ;(window as any).lpTag.events.trigger('PAGE', 'NULL_PROTO', Object.create(null))
    })
    await quiet(page, emulator)
    expect(consoleLines).toEqual([])
  })

  for (const lang of ['en-US"><x', 'x'.repeat(36), 'en_US']) {
    test(`<html lang="${lang.slice(0, 12)}">: no lang:// entry point`, async ({ emulator, openTagPage }) => {
      await openTagPage({ lang: lang.replaceAll('"', '&quot;') })
      const [request] = await waitForRequests(emulator, 1)
      expect(request!.body.entryPoints.filter((e: string) => e.startsWith('lang://'))).toEqual([])
    })
  }

  test('lpTag.debug() can be retried after a failed load', async ({ page, openTagPage, consoleLines }) => {
    let fail = true
    await page.route('**/debug.js', (route) => (fail ? route.fulfill({ status: 503, body: '' }) : route.continue()))
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect.poll(() => consoleLines.length).toBe(1)
    fail = false
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('the debug panel could not load') }])
  })

  test('a CSP that blocks the API: one console line that names connect-src', async ({ page, site, emulator, consoleLines }) => {
    await openRaw(page, site, '/trust/csp.html', `${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url })}</head><body><main><h1>x</h1></main></body></html>`, {
      'Content-Security-Policy': "default-src 'self'; connect-src 'self'",
    })
    await waitForEvent(page, 'LP_TAG', 'RETRY')
    const ours = () => consoleLines.filter((line) => line.text.startsWith('[lpTag]'))
    await expect.poll(ours).toEqual([{ type: 'error', text: `[lpTag] the page's CSP blocks the API: add ${emulator.url} to connect-src` }])
  })

  test('authenticated identities are de-duplicated and capped', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      const ids = (window as any).lpTag.identities
      for (let i = 0; i < 500; i++) ids.push({ iss: 'https://auth.example', acr: 'loa1', sub: 'same' })
      for (let i = 0; i < 500; i++) ids.push({ iss: 'https://auth.example', acr: 'loa1', sub: `user-${i}` })
      return (window as any).lpTag.getEngagement()
    })
    const [, request] = await waitForRequests(emulator, 2)
    expect(request!.body.identities).toHaveLength(1 + 10)
    expect(request!.body.identities[1]).toEqual({ iss: 'https://auth.example', acr: 'loa1', sub: 'same' })
    expect(consoleLines).toEqual([{ type: 'warning', text: '[lpTag] identities after the first 10 are dropped' }])
  })
})


// Found by a hostile review of the fixes above: page code runs inside every event the tag
// publishes, so each promise must hold when a listener calls the API back; and the page's
// markup, prototypes and timing were attacked beyond the first round.
test.describe('reentrancy: a listener calling the API back', () => {
  test('consent(false) from a START listener erases the ids; they never come back', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, head: `<script>window.lpTag = { events: [['LP_OFFERS', 'START', () => lpTag.consent(false)]] }</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
    await expect.poll(() => storedRecords(page)).toEqual([])
    await page.evaluate(() => ((window as any).lpTag.consent(true), (window as any).lpTag.getEngagement()))
    const [, second] = await waitForRequests(emulator, 2)
    expect(second!.query.vid).not.toBe(engagement!.data.visitorId)
  })

  test('consent(false) from an ENGAGEMENT listener: no offer, no report', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, head: `<script>window.lpTag = { events: [['LP_TAG', 'ENGAGEMENT', () => lpTag.consent(false)]] }</script>` })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await quiet(page, emulator)
    expect(await offerEventNames(page)).toEqual([])
    expect(emulator.received('report')).toEqual([])
  })

  test('newPage from onEngagement: only the new page\'s offer shows and is reported', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      attrs: { format: 'toaster' },
      path: '/shop/home.html',
      head: `<script>window.lpTag = { onEngagement: () => { if (!window.__done) { window.__done = 1; lpTag.newPage('/shop/checkout') } } }</script>`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await quiet(page, emulator)
    expect((await fired(page, 'LP_OFFERS', 'START')).map((e) => String(e.data.engagementId))).toEqual(['3562981210'])
    expect(emulator.received('report').map((r) => r.body.engagementAttributes[0].engId)).toEqual([3562981210])
  })

  test('consent(false) from an OFFER_DISPLAY listener: no impDisplay', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, head: `<script>window.lpTag = { events: [['LP_OFFERS', 'OFFER_DISPLAY', () => lpTag.consent(false)]] }</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await quiet(page, emulator)
    expect(emulator.received('report')).toEqual([])
  })

  test('consent(false) from an OFFER_CLICK listener: no impAccept, no click URL opened with the ids', async ({ page, emulator, openTagPage, context, site }) => {
    site.setPage('/trust/chat.html', '<!doctype html><title>chat</title>')
    const opened: string[] = []
    context.on('request', (request) => request.url().includes('/trust/chat.html') && opened.push(request.url()))
    await openTagPage({ attrs: { format: 'toaster', 'click-url': `${site.url}/trust/chat.html?vid={vid}` }, head: `<script>window.lpTag = { events: [['LP_OFFERS', 'OFFER_CLICK', () => lpTag.consent(false)]] }</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await waitForRequests(emulator, 1, 'report')
    await page.locator('[data-lp-action="accept"]').click()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await quiet(page, emulator)
    expect(emulator.received('report').map((r) => r.body.engagementAttributes[0].type)).toEqual(['impDisplay'])
    expect(opened).toEqual([])
  })

  test('a report waiting for its retry is not sent after consent(false)', async ({ page, emulator, openTagPage }) => {
    await freezeTime(page)
    emulator.fault({ kind: 'report', status: 503 })
    await openTagPage({ attrs: { format: 'toaster' } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect.poll(() => emulator.received('report')[0]?.status).toBe(503)
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await page.clock.runFor(100_000)
    await quiet(page, emulator)
    expect(emulator.received('report')).toHaveLength(1)
  })

  test('the page removing the offer from an OFFER_DISPLAY listener: OFFER_REMOVE at once; the display it had is reported', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, head: `<script>window.lpTag = { events: [['LP_OFFERS', 'OFFER_DISPLAY', () => document.querySelector('[data-lp-engagement]').remove()]] }</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE'])
    await quiet(page, emulator)
    expect(await reportedImpressions(emulator, 1)).toEqual(['impDisplay'])
  })

  test('the result given to onEngagement and by getEngagement() cannot steer the offer', async ({ page, emulator, openTagPage }) => {
    await freezeTime(page)
    await openTagPage({
      attrs: { format: 'toaster' },
      head: `<script>window.lpTag = { onEngagement: (r) => { if (r.engagementDetails) { r.engagementDetails.validForSeconds = 1; r.engagementDetails.campaignId = 666; r.visitorId = 'EVILVISITOR0000000000000' } } }</script>`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.clock.runFor(5000)
    expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
    await page.evaluate(async () => {
      const result = await (window as any).lpTag.getEngagement()
      result.engagementDetails.campaignId = 666
      result.engagementDetails.contextId = 'evil-context'
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    await page.locator('[data-lp-action="accept"]').click()
    const reports = await waitForRequests(emulator, 3, 'report')
    for (const report of reports) {
      expect(report.query.vid).not.toBe('EVILVISITOR0000000000000')
      expect(report.body.engagementAttributes[0].campaign).not.toBe(666)
      expect(JSON.stringify(report.body)).not.toContain('evil-context')
    }
  })
})

test.describe('hostile markup, beyond the first round', () => {
  test('<form id="lpTag"> in page content neither passes for the pre-load object nor keeps the API from the page', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ body: '<main><div class="comment"><form id="lpTag"><input name="consent"><input name="events"><input name="getEngagement"></form></div></main>' })
    await waitForRequests(emulator, 1)
    const calls = await page.evaluate(async () => {
      const tag = (window as any).lpTag
      return [typeof tag.consent, typeof tag.events.bind, (await tag.getEngagement()).status]
    })
    expect(calls).toEqual(['function', 'function', 'Available'])
  })

  test('a tag run by a loader takes no click URL, catalog or API domain from an inert decoy script', async ({ page, site, emulator }) => {
    const hits: string[] = []
    await page.route(/attacker\.test/, (route) => (hits.push(route.request().url()), route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*' } })))
    await openRaw(
      page,
      site,
      '/trust/decoy-loader.html',
      `<script>window.lpTag = { site: '${ACCOUNT}', app: '${APP}', domain: '${emulator.url}' }</script></head><body><div id="comments"></div><script>
document.getElementById('comments').innerHTML = '<script src="/x.js" data-lp-account="evil" data-lp-app="evil" data-lp-domain="attacker.test:80" data-lp-click-url="http://attacker.test/phish?v={vid}" data-lp-engagements="https://attacker.test/c.json"><\\/script>'
fetch('/tag.js').then((r) => r.text()).then((code) => (0, eval)(code))</script></body></html>`,
    )
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.config).toMatchObject({ account: ACCOUNT, app: APP, origin: emulator.url })
    expect(ready!.data.config.clickUrl).toBeUndefined()
    expect(ready!.data.config.engagements).toBeUndefined()
    await waitForRequests(emulator, 1)
    expect(hits).toEqual([])
  })

  test('an embedded offer goes to the zone the page shows, not a hidden one in page content', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { format: 'embedded' }, body: '<main><div class="comment"><div hidden data-lp-zone="help-box"></div></div><aside data-lp-zone="help-box" id="real"></aside></main>', head: `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: { zone: 'help-box' } })}</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect(await page.evaluate(() => document.querySelector('[data-lp-engagement]')?.parentElement?.id)).toBe('real')
  })

  test('<img name="body"> cannot take the offer: it is drawn in the real <body>, in view', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, body: '<main><img name="body" alt=""></main>' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    expect(await page.evaluate(() => document.querySelector('[data-lp-engagement]')!.parentElement === Reflect.get(Document.prototype, 'body', document))).toBe(true)
  })

  test('the chat window opened on accept gets no Referer (the page\'s query string stays on the page)', async ({ page, site, emulator, context }) => {
    site.setPage('/trust/chat.html', '<!doctype html><title>chat</title>')
    site.setPage('/trust/ref-click.html', {
      headers: { 'Referrer-Policy': 'unsafe-url' },
      body: `<!doctype html><html><head>${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, format: 'toaster', 'click-url': `${site.url.replace('localhost', '127.0.0.1')}/trust/chat.html` })}</head><body></body></html>`,
    })
    await page.goto(`${site.url}/trust/ref-click.html?email=jane%40example.com#order-42`)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const seen: Promise<string | null>[] = []
    context.on('request', (request) => request.url().includes('chat.html') && seen.push(request.headerValue('referer')))
    await page.locator('[data-lp-action="accept"]').click()
    await expect.poll(() => seen.length).toBe(1)
    expect(await seen[0]).toBeNull()
  })
})

test.describe('polluted Object.prototype, beyond the first round', () => {
  const pollute = (page: Page, values: Record<string, unknown>) => page.addInitScript((v) => Object.assign(Object.prototype, v), values)

  test('vid, on a "Loading account" answer without one: the retry carries none', async ({ page, emulator, openTagPage }) => {
    await pollute(page, { vid: 'POLLUTEDVID0000000000000' })
    await freezeTime(page)
    emulator.fault({ status: 202, internalCode: 38, message: 'Loading account' })
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'RETRY')
    await page.clock.runFor(3500)
    const [, retry] = await waitForRequests(emulator, 2)
    expect(retry!.query.vid).toBeUndefined()
  })

  test('sde and type: an invalid SDE is not replaced, an untyped one not typed', async ({ page, emulator, openTagPage }) => {
    await pollute(page, { sde: { type: 'personal', personal: { firstname: 'Injected' } } })
    await page.addInitScript(() => Object.defineProperty(Object.prototype, 'type', { value: 'searchInfo', writable: true, configurable: true }))
    await openTagPage({ head: `<script>window.lpTag = { sdes: [{ type: 'cart', total: 'not a number' }, { keywords: ['secret'] }] }</script>` })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([])
  })

  test('signal, rootMargin, triggerOnce and numeric keys: the flow, the retries and the listeners as without', async ({ page, emulator, openTagPage }) => {
    await pollute(page, { signal: '1', rootMargin: 'x', triggerOnce: true, async: true, 4: 1000, 5: 1000 })
    await freezeTime(page)
    emulator.fault({ status: 503, count: 20 })
    await openTagPage({ attrs: { datalayer: true } })
    // Each pause runs only once its attempt was answered: fake time must not outrun the network.
    for (const [index, pause] of [3000, 10_000, 30_000, 90_000].entries()) {
      await waitForEvent(page, 'LP_TAG', 'RETRY', index + 1)
      await page.clock.runFor(pause)
    }
    await waitForEvent(page, 'LP_TAG', 'ERROR')
    await page.clock.runFor(10_000)
    expect(emulator.received('engagement')).toHaveLength(5)
    expect(await fired(page, 'LP_TAG', 'RETRY')).toHaveLength(4)
    emulator.reset()
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    expect((await page.evaluate(() => (window as any).dataLayer.map((e: { event: string }) => e.event))).slice(0, 3)).toEqual(['lp_start', 'lp_offer_display', 'lp_offer_impression'])
  })

  test('the SDE schema: a polluted kind name does not change what is valid', async ({ page, emulator, openTagPage }) => {
    await pollute(page, { s: 'x:s', unknown: 'x:s' })
    await openTagPage({ head: `<script>window.lpTag = { sdes: [{ type: 'searchInfo', keywords: ['shoes'], note: 'x' }] }</script>` })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([{ type: 'searchInfo', keywords: ['shoes'], note: 'x' }])
  })
})

test.describe('every promise settles, beyond the first round', () => {
  for (const [name, head, body] of [
    ['a clobbered document.addEventListener', '', '<img name="addEventListener" alt="">'],
    ['a sealed pre-load object', '<script>window.lpTag = Object.seal({ getEngagement: null, consent: null, sdes: [] })</script>', ''],
    ['a queued SDE whose element throws', `<script>window.lpTag = { sdes: [] }; Object.defineProperty(lpTag.sdes, 0, { get() { throw new Error('hostile') }, enumerable: true })</script>`, ''],
  ] as const) {
    test(`${name}: getEngagement() settles`, async ({ page, site, emulator }) => {
      await openRaw(page, site, `/trust/settle-${name.length}.html`, `${head}</head><body>${body}${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('async ', '')}</body></html>`)
      const result = await page.evaluate(() => Promise.race([(window as any).lpTag.getEngagement(), new Promise((resolve) => setTimeout(() => resolve('HUNG'), 8000))]))
      expect(result).not.toBe('HUNG')
    })
  }

  test('revoked proxies given to newPage and lpTag.sdes throw nothing into the caller', async ({ page, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const thrown = await page.evaluate(() => {
      const { proxy, revoke } = Proxy.revocable([], {})
      revoke()
      const tag = (window as any).lpTag
      const out: string[] = []
      for (const call of [() => tag.newPage('/x', { section: proxy }), () => tag.sdes.push(proxy), () => tag.sdes.send(proxy)])
        try {
          call()
        } catch (error) {
          out.push(String(error))
        }
      return out
    })
    expect(thrown).toEqual([])
  })
})

test.describe('the debug panel, beyond the first round', () => {
  test('removed by the page, lpTag.debug() opens it again', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { debug: true } })
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    await page.evaluate(() => document.getElementById('lp-debug-host')!.remove())
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
  })

  test('open while consent is pending: consent(true) still continues the stored visitor', async ({ page, emulator, openTagPage, site }) => {
    await seedStoredRecord(page, site, recordKey(emulator), OLD)
    await openTagPage({ attrs: { consent: 'pending', debug: true } })
    await expect(page.locator('#lp-debug-host')).toHaveCount(1)
    await quiet(page, emulator)
    await page.evaluate(() => (window as any).lpTag.consent(true))
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.query.vid).toBe(OLD.vid)
  })
})
