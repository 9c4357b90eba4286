import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, ACCOUNT, APP, type Emulator, type Site, quiet } from './support/fixtures.ts'

/** The bookmarklet's code, as `public/bookmarklet.html` builds it for this test's emulator. */
async function bookmarklet(page: Page, site: Site, emulator: Emulator): Promise<string> {
  await page.goto(`${site.url}/bookmarklet.html`)
  const form = page.locator('#bookmarklet-form')
  await form.getByLabel('Account').fill(ACCOUNT)
  await form.getByLabel('App installation id').fill(APP)
  await form.getByLabel('API domain').fill(emulator.url)
  await form.getByLabel('API version').selectOption('1.1')
  const href = await page.locator('#bookmarklet-link').getAttribute('href')
  expect(href).toMatch(/^javascript:/)
  return decodeURIComponent(href!.slice('javascript:'.length))
}

const panelOf = (page: Page) => page.locator('#lp-debug-host').getByRole('dialog', { name: 'lpTag debug' })
const section = (page: Page, heading: string) => panelOf(page).locator('section').filter({ has: page.getByRole('heading', { name: heading }) })
const requestLines = (page: Page) => section(page, 'Requests').locator('li')
const eventLines = (page: Page) => section(page, 'Events').locator('li')
/** The config table's row for `key`: key, value, source. */
const configRow = (page: Page, key: string) =>
  section(page, 'Configuration')
    .locator('tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${key}$`) }) })

test.describe('debug panel and bookmarklet', () => {
  test('the bookmarklet on a page without the tag loads it: offer, panel, request 201, READY config', async ({ page, site, emulator, openTagPage, consoleLines }) => {
    const code = await bookmarklet(page, site, emulator)
    await openTagPage({ noTag: true })
    expect(await page.evaluate(() => 'lpTag' in window)).toBe(false)
    await page.evaluate(code)

    await expect(page.locator('[data-lp-engagement]')).toBeVisible()
    await expect(panelOf(page)).toBeVisible()
    await expect(requestLines(page).filter({ hasText: /engagement 201 · \d+ ms/ })).toHaveCount(1)
    await expect(configRow(page, 'account').locator('td')).toHaveText([ACCOUNT, 'preload'])
    await expect(configRow(page, 'origin').locator('td')).toHaveText([emulator.url, 'preload'])
    // Both the pre-load object and the script's data-lp-debug say so; the script wins.
    await expect(configRow(page, 'debug').locator('td')).toHaveText(['true', 'script'])
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.config.account).toBe(ACCOUNT)
    // The tag came from the origin that served bookmarklet.html, with data-lp-debug.
    expect(await page.evaluate(() => document.querySelector('script[data-lp-debug]')?.getAttribute('src'))).toBe(`${new URL(page.url()).origin}/tag.js`)
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(consoleLines).toEqual([])
  })

  test('on a page running the tag: the bookmarklet opens its panel, with events from before it loaded and no second request', async ({ page, site, emulator, openTagPage }) => {
    const code = await bookmarklet(page, site, emulator)
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect(page.locator('#lp-debug-host')).toHaveCount(0)
    await page.evaluate(code)

    await expect(panelOf(page)).toBeVisible()
    await expect(eventLines(page).filter({ hasText: 'LP_OFFERS START' })).toHaveCount(1)
    await expect(eventLines(page).filter({ hasText: 'LP_TAG READY' })).toHaveCount(1)
    await expect(section(page, 'Current offer')).toContainText('"tglName": "slider"')
    await expect(requestLines(page).filter({ hasText: /engagement 201/ })).toHaveCount(1)
    await expect(configRow(page, 'account').locator('td')).toHaveText([ACCOUNT, 'script'])
    // One tag, one script URL for debug.js, one engagement request.
    expect(await page.evaluate(() => document.querySelectorAll('script[src$="tag.js"]').length)).toBe(1)
    expect(await page.evaluate(() => document.querySelectorAll('script[src$="debug.js"]').length)).toBe(1)
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('a second copy of the tag with data-lp-debug opens the running tag\'s panel', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'START')
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.src = '/tag.js'
      s.setAttribute('data-lp-debug', '')
      document.head.append(s)
    })
    await expect(panelOf(page)).toBeVisible()
    await expect(eventLines(page).filter({ hasText: 'LP_OFFERS START' })).toHaveCount(1)
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('actions: check again, forget visitor, event filter; Escape and the close button hide it, debug() shows it again', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { debug: true } })
    await waitForEvent(page, 'LP_OFFERS', 'START')
    const panel = panelOf(page)
    await expect(panel).toBeVisible()
    await expect(section(page, 'Visitor')).toContainText('IndexedDB')
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await expect(section(page, 'Visitor').locator('tr', { hasText: 'vid' })).toContainText(first!.data.visitorId)

    await panel.getByRole('button', { name: 'Check again' }).click()
    const second = await waitForRequests(emulator, 2)
    expect(second[1]!.query.vid).toBe(first!.data.visitorId)
    expect(second[1]!.query.sid).toBe(first!.data.sessionId)
    await expect(requestLines(page).filter({ hasText: /engagement 200/ })).toHaveCount(1)

    await panel.getByRole('button', { name: 'Forget visitor' }).click()
    await expect(panel.getByRole('status')).toContainText('Visitor forgotten')
    await expect(section(page, 'Visitor').locator('tr', { hasText: 'vid' })).toContainText('(none)')
    await panel.getByRole('button', { name: 'Check again' }).click()
    const third = await waitForRequests(emulator, 3)
    expect(third[2]!.query.vid).toBeUndefined()
    expect(third[2]!.query.sid).toBeUndefined()
    await expect(requestLines(page).filter({ hasText: /engagement 201/ })).toHaveCount(2)

    const all = await eventLines(page).count()
    await panel.getByLabel('Filter by app or event').fill('LP_OFFERS START')
    const shown = eventLines(page)
    await expect(shown).not.toHaveCount(all)
    expect(await shown.count()).toBeGreaterThanOrEqual(1)
    for (const text of await shown.locator('strong').allTextContents()) expect(text).toBe('LP_OFFERS START')
    await panel.getByLabel('Filter by app or event').fill('no such event')
    await expect(shown).toHaveText(['No event matches the filter.'])

    // Docking: the panel moves to the other side of the page and back.
    const right = (await panel.boundingBox())!.x
    await panel.getByRole('button', { name: 'Move to the left' }).click()
    await expect.poll(async () => (await panel.boundingBox())!.x).toBeLessThan(20)
    await panel.getByRole('button', { name: 'Move to the right' }).click()
    await expect.poll(async () => (await panel.boundingBox())!.x).toBe(right)

    // Keyboard: Tab from the filter stays in the panel; Escape closes; debug() reopens it.
    await panel.getByLabel('Filter by app or event').press('Escape')
    await expect(panel).toBeHidden()
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect(panel).toBeVisible()
    await panel.getByRole('button', { name: 'Close debug panel' }).focus()
    await page.keyboard.press('Enter')
    await expect(panel).toBeHidden()
  })

  test('copy report: clipboard when allowed, a textarea when refused', async ({ page, context, site, openTagPage }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url })
    await openTagPage({ attrs: { debug: true } })
    await waitForEvent(page, 'LP_OFFERS', 'START')
    const panel = panelOf(page)
    await expect(requestLines(page).filter({ hasText: /engagement 201/ })).toHaveCount(1)
    await panel.getByRole('button', { name: 'Copy report' }).click()
    await expect(panel.getByRole('status')).toHaveText('Report copied.')
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))
    expect(copied.ready.config.account).toBe(ACCOUNT)
    expect(copied.requests[0].status).toBe(201)
    expect(copied.events.map((e: { eventName: string }) => e.eventName)).toContain('START')

    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))
    })
    await panel.getByRole('button', { name: 'Copy report' }).click()
    const box = panel.getByRole('textbox', { name: /^Report/ })
    await expect(box).toBeVisible()
    expect(JSON.parse(await box.inputValue()).ready.config.app).toBe(APP)
  })

  test('the panel passes an axe scan; screenshot', async ({ page, openTagPage }, testInfo) => {
    await openTagPage({ attrs: { debug: true } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const panel = panelOf(page)
    await expect(requestLines(page).filter({ hasText: /engagement 201/ })).toHaveCount(1)
    const results = await new AxeBuilder({ page }).include('#lp-debug-host').analyze()
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    expect(results.passes.length).toBeGreaterThan(0)
    const path = testInfo.outputPath('debug-panel.png')
    await panel.screenshot({ path })
    await testInfo.attach('debug-panel', { path, contentType: 'image/png' })
  })

  test('data-lp-debug on the snippet opens the panel; without it nothing loads debug.js', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'START')
    await quiet(page, emulator)
    expect(await page.evaluate(() => document.querySelectorAll('script[src$="debug.js"]').length)).toBe(0)
    await expect(page.locator('#lp-debug-host')).toHaveCount(0)

    await openTagPage({ attrs: { debug: true } })
    await expect(panelOf(page)).toBeVisible()
    await expect(configRow(page, 'debug').locator('td')).toHaveText(['true', 'script'])
  })

  test('a config error is shown in plain words with the fix', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { debug: true, domain: 'http://api.example.net' } })
    await expect(panelOf(page)).toBeVisible()
    await expect(panelOf(page).getByRole('status')).toHaveText('The tag did not start: its configuration is wrong (see Configuration below).')
    await expect(section(page, 'Configuration')).toContainText('its configuration is wrong')
    await expect(section(page, 'Configuration')).toContainText('data-lp-domain "http://api.example.net" is invalid')
    await expect(section(page, 'Configuration')).toContainText('Fix:')
  })

  test('Trusted Types: debug.js goes through the lp-tag policy; a CSP without it gets one console error', async ({ page, site, emulator }) => {
    const html = (debugAttr: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tt</title>
<script async src="/tag.js" data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}" ${debugAttr}></script></head><body><main><h1>TT</h1></main></body></html>`
    const csp = (types: string) => ({ 'Content-Security-Policy': `script-src 'self'; require-trusted-types-for 'script'; trusted-types ${types}` })
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))

    site.setPage('/tt/allowed.html', { body: html('data-lp-debug'), headers: csp('lp-tag') })
    await page.goto(`${site.url}/tt/allowed.html`)
    await expect(panelOf(page)).toBeVisible()
    await expect(requestLines(page).filter({ hasText: /engagement 201/ })).toHaveCount(1)
    expect(errors).toEqual([])

    site.setPage('/tt/refused.html', { body: html('data-lp-debug'), headers: csp("'none'") })
    await page.goto(`${site.url}/tt/refused.html`)
    await expect.poll(() => errors.filter((e) => e.includes('debug panel could not load'))).toHaveLength(1)
    expect(errors.find((e) => e.includes('debug panel could not load'))).toContain('trusted-types lp-tag')
    await expect(page.locator('#lp-debug-host')).toHaveCount(0)
  })

  test('the bookmarklet says so in one console line when the page\'s CSP blocks the tag', async ({ page, site, emulator }) => {
    const code = await bookmarklet(page, site, emulator)
    site.setPage('/csp/strict.html', {
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>csp</title></head><body><main><h1>CSP</h1></main></body></html>',
      headers: { 'Content-Security-Policy': "script-src 'none'" },
    })
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${site.url}/csp/strict.html`)
    await page.evaluate(code)
    await expect.poll(() => errors.filter((e) => e.startsWith('[lpTag]'))).toHaveLength(1)
    expect(errors.find((e) => e.startsWith('[lpTag]'))).toContain("Content Security Policy blocks")
    await quiet(page, emulator)
    expect(errors.filter((e) => e.startsWith('[lpTag]'))).toHaveLength(1)
  })

  test('dist/tag.js holds no panel code; dist/debug.js does', () => {
    const tag = readFileSync(new URL('../dist/tag.js', import.meta.url), 'utf8')
    const debug = readFileSync(new URL('../dist/debug.js', import.meta.url), 'utf8')
    for (const panelOnly of ['Forget visitor', 'Copy report', 'Current offer', 'Configuration', 'lp-debug-host']) {
      expect(debug, panelOnly).toContain(panelOnly)
      expect(tag, panelOnly).not.toContain(panelOnly)
    }
  })
})

test.describe('the panel as a person debugging reads it', () => {
  // Five and a half hours from UTC: a time shown in UTC cannot pass for local.
  test.use({ timezoneId: 'Asia/Kolkata' })

  test('it opens on the request timeline, in local time, failures in red and retries in amber', async ({ page, emulator, openTagPage }) => {
    emulator.fault({ status: 503 })
    await openTagPage({ attrs: { debug: true } })
    await waitForEvent(page, 'LP_TAG', 'RETRY')
    await expect(panelOf(page).locator('h3').first()).toHaveText('Requests')
    await expect(requestLines(page)).toHaveCount(2)
    const at = await page.evaluate(() => (window as any).lpTag._debugPort.log[0].at as number)
    const local = new Date(at + 5.5 * 3600_000).toISOString().slice(11, 23)
    await expect(requestLines(page).first()).toHaveText(new RegExp(`^${local.replace('.', '\\.')} engagement 503 · \\d+ ms`))
    // The list is drawn again as the retry counts down: the assertions retry with it.
    await expect(requestLines(page).nth(0)).toHaveCSS('color', 'rgb(164, 22, 26)')
    await expect(requestLines(page).nth(1)).toHaveCSS('color', 'rgb(138, 75, 0)')
    await expect(requestLines(page).nth(1)).toHaveText(/^\d\d:\d\d:\d\d\.\d{3} retry 1 after 3 s: fires in/)
  })

  test('on a phone it is a bottom sheet that leaves half the page visible', async ({ page, openTagPage }) => {
    await page.setViewportSize({ width: 375, height: 667 })
    await openTagPage({ attrs: { debug: true } })
    await expect(panelOf(page)).toBeVisible()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const box = (await page.locator('#lp-debug-host').boundingBox())!
    expect({ left: box.x, width: box.width, bottom: Math.round(box.y + box.height) }).toEqual({ left: 0, width: 375, bottom: 667 })
    expect(box.y).toBeGreaterThanOrEqual(667 / 2)
    // Scrolled inside, the sheet still shows everything: its last section can be reached.
    await section(page, 'Events').scrollIntoViewIfNeeded()
    await expect(section(page, 'Events')).toBeInViewport()
  })
})
