// Every installation path has a real page in public/install/ that integrators open and copy from;
// each test loads that exact file from the site, pointed at the test's own emulator.
import type { Page } from '@playwright/test'
import { test, expect, fired, waitForEvent, waitForRequests, openPublicPage, ACCOUNT, APP, type Emulator, type Site } from './support/fixtures.ts'

const API_PATH = `/api/account/${ACCOUNT}/app/${APP}/engagement`

/**
 * Opens `/install/{file}` and checks what every installation path must give: one engagement
 * request with the right account and app, one READY, one START, no error, no console line.
 */
async function installed(page: Page, site: Site, emulator: Emulator, consoleLines: { type: string; text: string }[], file: string) {
  const url = await openPublicPage(page, site, emulator, `/install/${file}`)
  await waitForRequests(emulator, 1)
  // A second flow would send its own request right away: let the network settle before counting.
  await page.waitForLoadState('networkidle')
  const requests = emulator.received('engagement')
  expect(requests, 'engagement requests').toHaveLength(1)
  const request = requests[0]!
  expect(request.path).toBe(API_PATH)
  expect(request.status).toBe(201)
  expect(request.body.entryPoints[0]).toBe(url)
  const ready = await fired(page, 'LP_TAG', 'READY')
  expect(ready, 'LP_TAG/READY').toHaveLength(1)
  expect(ready[0]!.data.config).toEqual(expect.objectContaining({ account: ACCOUNT, app: APP, origin: emulator.url }))
  const [start] = await waitForEvent(page, 'LP_OFFERS', 'START')
  expect(await fired(page, 'LP_OFFERS', 'START'), 'LP_OFFERS/START').toHaveLength(1)
  expect(await fired(page, 'LP_TAG', 'ERROR')).toEqual([])
  expect(consoleLines).toEqual([])
  return { url, request, ready: ready[0]!, start: start! }
}

/** The tag's script element(s) as the page ended up with them. */
function tagScripts(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLScriptElement>('script[src="/tag.js"]')].map((s) => ({
      async: s.async,
      defer: s.defer,
      inHead: s.parentElement === document.head,
      inArticle: !!s.closest('article'),
      lpAttributes: s.getAttributeNames().filter((name) => name.startsWith('data-lp-')),
      createdByScript: (window as any).__createdByScript?.(s) ?? false,
    })),
  )
}

/** Marks every script element made with `document.createElement`, so a test can tell them from parsed ones. */
async function traceCreatedScripts(page: Page) {
  await page.addInitScript(() => {
    const created = new WeakSet<Element>()
    const original = Document.prototype.createElement
    Document.prototype.createElement = function (this: Document, ...args: Parameters<Document['createElement']>) {
      const element = original.apply(this, args)
      if (element.localName === 'script') created.add(element)
      return element
    } as Document['createElement']
    Object.defineProperty(window, '__createdByScript', { value: (element: Element) => created.has(element) })
  })
}

/** Whether the HTML as served has the tag as a parsed `<script src="/tag.js">` element. */
async function servedWithTagElement(page: Page, url: string) {
  const html = await (await page.request.get(url)).text()
  return /<script[^>]*\ssrc="\/tag\.js"/.test(html)
}

test.describe('installation pages (public/install/)', () => {
  test('index lists every installation page, each with a line on when to use it', async ({ page, site, emulator }) => {
    await openPublicPage(page, site, emulator, '/install/')
    const items = await page.locator('[data-install-pages] li').evaluateAll((lis) =>
      lis.map((li) => ({ href: li.querySelector('a')!.getAttribute('href'), words: li.textContent!.trim().split(/\s+/).length })),
    )
    expect(items.map((i) => i.href).sort()).toEqual(
      ['async.html', 'cms.html', 'defer.html', 'element.html', 'gtm-stripped.html', 'gtm.html', 'preload.html', 'tcf.html', 'twice.html'],
    )
    for (const item of items) expect(item.words, item.href!).toBeGreaterThan(6)
    for (const item of items) expect((await page.request.get(`${site.url}/install/${item.href}`)).status(), item.href!).toBe(200)
  })

  test('CMS article: the plain snippet in the body, with data-lp-section', async ({ page, site, emulator, consoleLines }) => {
    const { url, request, ready } = await installed(page, site, emulator, consoleLines, 'cms.html')
    expect(await tagScripts(page)).toEqual([
      expect.objectContaining({ async: true, inHead: false, inArticle: true, lpAttributes: ['data-lp-account', 'data-lp-app', 'data-lp-domain', 'data-lp-section'] }),
    ])
    expect(await servedWithTagElement(page, url)).toBe(true)
    expect(ready.data.sources).toEqual(expect.objectContaining({ account: 'script', app: 'script', domain: 'script', section: 'script' }))
    expect(request.body.entryPoints).toContain('sec://blog')
  })

  test('pasted twice (head and body): one request, one READY, at most one offer', async ({ page, site, emulator, consoleLines }) => {
    await installed(page, site, emulator, consoleLines, 'twice.html')
    const scripts = await tagScripts(page)
    expect(scripts.map((s) => s.inHead)).toEqual([true, false])
    expect(await page.locator('[data-lp-engagement]').count()).toBeLessThanOrEqual(1)
  })

  test('Google Tag Manager custom HTML: a script-created element with data-lp-* set by setAttribute', async ({ page, site, emulator, consoleLines }) => {
    await traceCreatedScripts(page)
    const { url, ready } = await installed(page, site, emulator, consoleLines, 'gtm.html')
    expect(await servedWithTagElement(page, url)).toBe(false)
    expect(await tagScripts(page)).toEqual([
      expect.objectContaining({ createdByScript: true, inHead: true, lpAttributes: ['data-lp-account', 'data-lp-app', 'data-lp-domain'] }),
    ])
    expect(ready.data.sources).toEqual(expect.objectContaining({ account: 'script', app: 'script', domain: 'script' }))
  })

  test('Google Tag Manager with data-* stripped: configured by the pre-load object', async ({ page, site, emulator, consoleLines }) => {
    await traceCreatedScripts(page)
    const { url, request, ready } = await installed(page, site, emulator, consoleLines, 'gtm-stripped.html')
    expect(await servedWithTagElement(page, url)).toBe(false)
    expect(await tagScripts(page)).toEqual([expect.objectContaining({ createdByScript: true, inHead: true, lpAttributes: [] })])
    expect(await page.locator('[data-lp-account]').count()).toBe(0)
    expect(ready.data.sources).toEqual(expect.objectContaining({ account: 'preload', app: 'preload', domain: 'preload', section: 'preload' }))
    expect(request.body.entryPoints).toContain('sec://gtm')
  })

  test('async in the head, before a large body', async ({ page, site, emulator, consoleLines }) => {
    const { request, ready } = await installed(page, site, emulator, consoleLines, 'async.html')
    expect(await tagScripts(page)).toEqual([expect.objectContaining({ async: true, defer: false, inHead: true })])
    expect(await page.locator('[data-long-read] p').count()).toBeGreaterThanOrEqual(100)
    expect(ready.data.sources).toEqual(expect.objectContaining({ account: 'script', section: 'script' }))
    expect(request.body.entryPoints).toContain('sec://news')
  })

  test('defer in the head, before a large body: runs after parsing and sees the section at the end', async ({ page, site, emulator, consoleLines }) => {
    const { request } = await installed(page, site, emulator, consoleLines, 'defer.html')
    expect(await tagScripts(page)).toEqual([expect.objectContaining({ async: false, defer: true, inHead: true })])
    expect(await page.locator('[data-long-read] p').count()).toBeGreaterThanOrEqual(100)
    // The only section is on the page's last element: a tag that ran before parsing ended would miss it.
    expect(await page.evaluate(() => document.querySelector('main')!.lastElementChild!.getAttribute('data-lp-section'))).toBe('long-read')
    expect(request.body.entryPoints).toContain('sec://long-read')
  })

  test('pre-load queue: queued SDE, section, identity and a listener bound before load are all consumed', async ({ page, site, emulator, consoleLines }) => {
    const { request, ready, start } = await installed(page, site, emulator, consoleLines, 'preload.html')
    const cart = {
      type: 'cart', total: 11.7, currency: 'USD', numItems: 6,
      products: [{ product: { name: 'prod1', category: 'category', sku: 'sku', price: 7.8 }, quantity: 1 }],
    }
    expect(request.body.engagementAttributes).toEqual([cart])
    expect(request.body.entryPoints).toContain('sec://shop')
    expect(ready.data.sources.section).toBe('preload')
    expect(request.body.identities).toHaveLength(2)
    expect(request.body.identities[0]).toEqual(expect.objectContaining({ acr: '0' }))
    expect(request.body.identities[1]).toEqual({ iss: 'https://brand.example', acr: 'loa1', sub: 'user-42' })
    expect(await page.evaluate(() => (window as any).lpOfferSeen)).toEqual({
      appName: 'LP_OFFERS', eventName: 'START', campaignId: start.data.campaignId, engagementId: start.data.engagementId,
    })
    expect(await page.evaluate(() => (window as any).lpTag.sdes.get())).toEqual([cart])
  })

  test('page element: a bare script configured by a hidden element', async ({ page, site, emulator, consoleLines }) => {
    const { ready } = await installed(page, site, emulator, consoleLines, 'element.html')
    expect(await tagScripts(page)).toEqual([expect.objectContaining({ async: true, lpAttributes: [] })])
    expect(await page.locator('div[hidden][data-lp-account]').count()).toBe(1)
    expect(ready.data.sources).toEqual(expect.objectContaining({ account: 'element', app: 'element', domain: 'element' }))
  })

  test('consent from a TCF CMP: nothing before the banner is answered; Accept sends and stores; Reject later erases and removes', async ({ page, site, emulator, consoleLines }) => {
    await openPublicPage(page, site, emulator, '/install/tcf.html')
    await waitForEvent(page, 'LP_TAG', 'READY')
    await expect(page.getByRole('complementary', { name: 'This site asks for your consent' })).toBeVisible()
    expect(await page.evaluate(() => (window as any).lpTag.getEngagement().then((r: any) => r.error?.code))).toBe('consent')
    expect(emulator.received('engagement')).toEqual([])
    await page.getByRole('button', { name: 'Accept' }).click()
    await waitForEvent(page, 'LP_OFFERS', 'START')
    await expect(page.locator('[data-consent-state]')).toHaveText('Consent: accepted. Stored ids: in IndexedDB (lp-tag).')
    await page.getByRole('button', { name: 'Change my consent choice' }).click()
    await page.getByRole('button', { name: 'Reject' }).click()
    await expect(page.locator('[data-consent-state]')).toHaveText('Consent: rejected. Stored ids: none.')
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(consoleLines).toEqual([])
  })
})
