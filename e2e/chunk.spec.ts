import { readdirSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { createPageServer } from './server/static.mjs'
import { test, expect, waitForEvent, tagScript, ACCOUNT, APP, quiet } from './support/fixtures.ts'
import { ENGAGEMENT, offerEventNames } from './support/offers.ts'

// `dist/tag.js` runs an offer with two more scripts beside it: `dist/offer.<hash>.js` (its
// lifecycle) and `dist/offer-ui.<hash>.js` (drawing it, never on a headless page), fetched at low
// priority once the first engagement request has left (contract section 9). `dist/tag.full.js`
// has both built in.

const NO_CAMPAIGNS = { accounts: { [ACCOUNT]: { apps: [APP], campaigns: [] } } }
const DIST = readdirSync(new URL('../dist/', import.meta.url))
const CHUNK = DIST.find((file) => /^offer-ui\.\w+\.js$/.test(file))!
const OFFER_CHUNK = DIST.find((file) => /^offer\.\w+\.js$/.test(file))!

/** Every request the page makes for an offer UI chunk, as URLs. */
function chunkRequests(page: Page) {
  const urls: string[] = []
  page.on('request', (request) => /\/offer-ui\.[^/]*\.js$/.test(request.url()) && urls.push(request.url()))
  return urls
}

test('the chunks are named by a hash of their content', () => {
  expect(CHUNK).toMatch(/^offer-ui\.[A-Z0-9]{8}\.js$/)
  expect(OFFER_CHUNK).toMatch(/^offer\.[A-Z0-9]{8}\.js$/)
})

test('a headless page (data-lp-render="none") never fetches the UI chunk; the offer chunk once: the offer still starts', async ({ page, openTagPage }) => {
  const chunks = chunkRequests(page)
  const offers: string[] = []
  page.on('request', (request) => /\/offer\.[^/]*\.js$/.test(request.url()) && offers.push(request.url()))
  await openTagPage({ attrs: { render: 'none' } })
  await waitForEvent(page, 'LP_OFFERS', 'START')
  await page.evaluate(() => (window as any).lpTag.newPage())
  await waitForEvent(page, 'LP_OFFERS', 'START', 2)
  expect(chunks).toEqual([])
  expect(offers).toHaveLength(1)
})

test.describe('no offer for this visitor', () => {
  test.use({ campaigns: NO_CAMPAIGNS })
  test('the chunks are fetched once the engagement request has left, never before it', async ({ page, openTagPage }) => {
    const order: string[] = []
    page.on('request', (request) => {
      const file = /\/(engagement|offer(?:-ui)?)[.?]/.exec(request.url())?.[1]
      if (file) order.push(file)
    })
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await expect.poll(() => order.length).toBe(3)
    expect(order[0]).toBe('engagement')
    expect(order.slice(1).sort()).toEqual(['offer', 'offer-ui'])
  })
})

test('consent pending: no chunk is fetched before the first request may go', async ({ page, openTagPage, emulator }) => {
  const chunks = chunkRequests(page)
  await openTagPage({ attrs: { consent: 'pending' } })
  await waitForEvent(page, 'LP_TAG', 'READY')
  await quiet(page, emulator)
  expect(chunks).toEqual([])
  await page.evaluate(() => (window as any).lpTag.consent(true))
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  expect(chunks).toHaveLength(1)
  expect(emulator.received('engagement')).toHaveLength(1)
})

test('from a CDN on another origin, with CORS headers (integrity needs them): the chunk comes from beside tag.js, once, whatever <base> the page adds later', async ({ page, site, emulator }) => {
  const cdn = await createPageServer({ host: '127.0.0.1' })
  try {
    const chunks = chunkRequests(page)
    const cdnOrigin = cdn.url.replace('localhost', '127.0.0.1')
    site.setPage('/chunk/cdn.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('src="/tag.js"', `src="${cdnOrigin}/cdn/v7/tag.js"`)}
</head><body><main><h1>x</h1></main></body></html>`)
    await page.goto(`${site.url}/chunk/cdn.html`)
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => document.head.prepend(Object.assign(document.createElement('base'), { href: 'https://attacker.example/' })))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (window as any).lpTag.newPage())
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    expect(chunks).toEqual([`${cdnOrigin}/cdn/v7/${CHUNK}`])
  } finally {
    await cdn.close()
  }
})

test('a chunk that does not load: no offer starts, one console line names the fix; the next offer tries again', async ({ page, emulator, openTagPage, consoleLines }) => {
  let refusing = true
  await page.route(/\/offer-ui\.[^/]*\.js$/, (route) => (refusing ? route.abort() : route.continue()))
  await openTagPage()
  await expect.poll(() => consoleLines).toEqual([{ type: 'error', text: expect.stringMatching(/offers cannot be drawn: .*offer-ui\.\w+\.js did not load .*script-src/) }])
  expect(await offerEventNames(page)).toEqual([])
  expect(emulator.received('report')).toEqual([])
  refusing = false
  await page.evaluate(() => (window as any).lpTag.newPage())
  const [display] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  expect(String(display!.data.engagementId)).toBe(ENGAGEMENT)
  expect((await offerEventNames(page)).slice(0, 2)).toEqual(['START', 'OFFER_DISPLAY'])
  expect(consoleLines).toHaveLength(1)
})

test('newPage while the chunk loads: only the new page view\'s offer shows', async ({ page, emulator, openTagPage }) => {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/offer-ui\.[^/]*\.js$/, async (route) => (await held, route.continue()))
  await openTagPage()
  await expect.poll(() => emulator.received('engagement').length).toBe(1)
  await page.evaluate(() => (window as any).lpTag.newPage(location.href + '#second', { section: 'second' }))
  await expect.poll(() => emulator.received('engagement').length).toBe(2)
  await quiet(page, emulator)
  release()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
  await quiet(page, emulator)
  // The first page view's answer came while the chunk loaded: it never started.
  expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION'])
  expect(emulator.received('report').flatMap((r) => r.body.engagementAttributes.map((a: any) => a.type))).toEqual(['impDisplay'])
})

test('SDEs sent while the chunk loads go to the coming offer\'s session at once; that offer still shows', async ({ page, emulator, openTagPage }) => {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/offer-ui\.[^/]*\.js$/, async (route) => (await held, route.continue()))
  await openTagPage()
  const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
  const delivered = await page.evaluate(() => new Promise((resolve) => (window as any).lpTag.sdes.send({ type: 'lead', lead: { topic: 'loans' } }, resolve)))
  expect(delivered).toBe(true)
  // Delivered before the offer UI is there: with the Report method, in the answer's session.
  const [report] = emulator.received('report')
  expect(report!.body.engagementAttributes).toEqual([{ type: 'lead', lead: { topic: 'loans' } }])
  expect(report!.query).toMatchObject({ vid: engagement!.data.visitorId, sid: engagement!.data.sessionId })
  release()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
  // No new check replaced the answer: the offer it brought shows.
  expect(emulator.received('engagement')).toHaveLength(1)
  expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION'])
})

test('tag.full.js draws offers without a second script', async ({ page, emulator, openTagPage }) => {
  const chunks = chunkRequests(page)
  await openTagPage({ noTag: true, head: tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, format: 'toaster' }).replace('/tag.js', '/tag.full.js') })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
  await expect(page.locator('[data-lp-engagement] >> [data-lp-action="accept"]')).toBeVisible()
  expect(chunks).toEqual([])
})
