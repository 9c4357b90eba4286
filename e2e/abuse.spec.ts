import { readFileSync } from 'node:fs'
import { test, expect, waitForRequests, waitForEvent, fired, ACCOUNT } from './support/fixtures.ts'
import { ENGAGEMENT } from './support/offers.ts'
import type { Page } from '@playwright/test'

// Hostile data from every side the tag reads (contract sections 6 and 8, and the event bus of
// the reference's "lpTag web conventions"): nothing executes, nothing pollutes Object.prototype,
// nothing oversized is sent, and a misbehaving page listener stops neither the tag nor the page.

const PAYLOADS = ['<img src=x onerror=window.__pwned=1>', '"><script>window.__pwned=1</script>', 'javascript:window.__pwned=1']

/** `e2e/server/campaigns.json` with every campaign's `language` and `skillName` replaced. */
function campaignsWith(language: string, skillName: string) {
  const all = JSON.parse(readFileSync(new URL('./server/campaigns.json', import.meta.url), 'utf8'))
  for (const campaign of all.accounts[ACCOUNT].campaigns) Object.assign(campaign, { language, skillName })
  return all
}

/** No script ran and Object.prototype (and Array.prototype) got nothing. */
async function expectNoExecutionNorPollution(page: Page) {
  expect(
    await page.evaluate(() => ({
      pwned: (window as any).__pwned,
      polluted: ({} as any).polluted,
      arrayPolluted: ([] as any).polluted,
      ownKeys: Object.getOwnPropertyNames(Object.prototype).filter((k) => !['constructor', '__proto__', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'].includes(k)),
    })),
  ).toEqual({ pwned: undefined, polluted: undefined, arrayPolluted: undefined, ownKeys: [] })
}

test.describe('script injection', () => {
  for (const [i, payload] of PAYLOADS.entries()) {
    test.describe(`payload ${i + 1}`, () => {
      test.use({ campaigns: campaignsWith(payload, payload) })
      test(`in every catalog text field and the API's language/skillName: shown and published as text, never run: ${payload}`, async ({ page, openTagPage, consoleLines }) => {
        const entry = { format: 'toaster', name: payload, title: payload, text: payload, button: payload }
        await openTagPage({ head: `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry }).replaceAll('<', '\\u003c')}</script>` })
        await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
        const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
        // Published unchanged, as data: the integrator's code decides what to do with it.
        expect(engagement!.data.engagementDetails).toEqual(expect.objectContaining({ language: payload, skillName: payload }))
        const shown = await page.evaluate(() => {
          const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
          return {
            texts: [...root.querySelectorAll('*')].filter((e) => e.children.length === 0 && e.textContent).map((e) => e.textContent),
            elements: document.querySelectorAll('img, [onerror], script:not([src]):not([type])').length + root.querySelectorAll('img, script, [onerror]').length,
            hrefs: [...root.querySelectorAll('[href], [src], [action], [formaction]')].length,
          }
        })
        expect(shown.texts).toEqual(expect.arrayContaining([payload]))
        expect(shown.elements).toBe(0)
        expect(shown.hrefs).toBe(0)
        // Accepting it runs nothing either (no click URL: nothing to open).
        await page.locator('[data-lp-engagement] button[data-lp-action="accept"]').click()
        await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
        await expectNoExecutionNorPollution(page)
        expect(consoleLines).toEqual([])
      })
    })
  }

  for (const url of ['javascript:window.__pwned=1', 'JavaScript:window.__pwned=1', 'data:text/html,<script>window.__pwned=1</script>', ' javascript:window.__pwned=1']) {
    test(`click URL ${JSON.stringify(url)}: a configuration error, nothing opened`, async ({ page, context, openTagPage, consoleLines }) => {
      await page.addInitScript(() => {
        const w = window as any
        w.__opened = 0
        w.open = () => (w.__opened++, null)
      })
      await openTagPage({ attrs: { 'click-url': url } })
      const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
      expect(error!.data.code).toBe('config')
      expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('data-lp-click-url') }])
      await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
      expect(await page.evaluate(() => (window as any).__opened)).toBe(0)
      expect(context.pages()).toHaveLength(1)
      await expectNoExecutionNorPollution(page)
    })
  }
})

test("click URL placeholders named like Object.prototype's keys stay as written", async ({ page, openTagPage, consoleLines }) => {
  await page.addInitScript(() => {
    const w = window as any
    w.__opened = []
    w.open = (url: string) => (w.__opened.push(url), null)
  })
  await openTagPage({ attrs: { format: 'toaster', 'click-url': 'https://brand.example/chat?a={constructor}&b={toString}&c={__proto__}&v={vid}' } })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
  await page.locator('[data-lp-engagement] button[data-lp-action="accept"]').click()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
  expect(await page.evaluate(() => (window as any).__opened)).toEqual([
    `https://brand.example/chat?a={constructor}&b={toString}&c={__proto__}&v=${encodeURIComponent(engagement!.data.visitorId)}`,
  ])
  expect(consoleLines).toEqual([])
})

test.describe('prototype pollution', () => {
  const POLLUTING = '"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "prototype": {"polluted": 1}'

  test('keys in the catalog JSON are ignored like any unknown field', async ({ page, openTagPage, consoleLines }) => {
    const catalog = `{${POLLUTING}, "${ENGAGEMENT}": {${POLLUTING}, "toString": "x", "hasOwnProperty": 1, "format": "toaster", "title": "Safe title"}}`
    await openTagPage({ head: `<script type="application/json" data-lp-engagements>${catalog}</script>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect(await page.locator('[data-lp-engagement]').getAttribute('data-lp-format')).toBe('toaster')
    await expect(page.locator('[data-lp-engagement]')).toContainText('Safe title')
    await expectNoExecutionNorPollution(page)
    expect(consoleLines).toEqual([])
  })

  test('keys in an API answer (top level and engagementDetails) are ignored', async ({ page, emulator, openTagPage, consoleLines }) => {
    emulator.fault({
      status: 201,
      body: `{${POLLUTING}, "sessionId": "sess-1", "visitorId": "visitor-1", "pageId": "1",
        "engagementDetails": [{${POLLUTING}, "status": "unknown"}]}`,
    })
    await openTagPage()
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data).toEqual({ status: 'NotAvailable', sessionId: 'sess-1', visitorId: 'visitor-1', pageId: '1' })
    // A later 4xx error body with the same keys: reported, not merged anywhere.
    emulator.fault({ status: 400, body: `{${POLLUTING}, "message": "bad", "internalCode": 5}` })
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    await expectNoExecutionNorPollution(page)
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('HTTP 400/5: bad') }])
  })

  test('keys in SDEs (pre-load queue, push, send) pollute nothing', async ({ page, emulator, openTagPage }) => {
    await page.addInitScript((polluting) => {
      const w = window as any
      w.lpTag = { sdes: [JSON.parse(`{"type": "cart", "total": 5, ${polluting}, "products": [{"product": {${polluting}, "name": "shoe"}}]}`)] }
      w.__polluting = polluting
    }, POLLUTING)
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      const w = window as any
      w.lpTag.sdes.push(JSON.parse(`{"type": "ctmrinfo", "info": {${w.__polluting}, "ctype": "vip"}}`))
      w.lpTag.sdes.send(JSON.parse(`[{"type": "purchase", "total": 1, ${w.__polluting}}]`))
      w.lpTag.newPage(location.href, { sdes: [JSON.parse(`{"type": "lead", "lead": {${w.__polluting}, "topic": "x"}}`)] })
    })
    await waitForRequests(emulator, 1, 'report')
    await waitForRequests(emulator, 2)
    const stored = await page.evaluate(() => (window as any).lpTag.sdes.get().map((s: any) => [s.polluted, s.info?.polluted, s.lead?.polluted]))
    expect(stored.flat().filter((v: unknown) => v !== undefined)).toEqual([])
    await expectNoExecutionNorPollution(page)
  })
})

test('SDE values over 50,000 characters are never sent', async ({ page, emulator, openTagPage, consoleLines }) => {
  const long = 'x'.repeat(50_001)
  await page.addInitScript((long) => {
    ;(window as any).lpTag = { sdes: [{ type: 'cart', total: 1, products: [{ product: { name: long } }] }, { type: 'cart', total: 2, numItems: 1 }] }
  }, long)
  await openTagPage()
  // Sent while the offer shows, they go in a report (before it shows, in a new engagement request).
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await page.evaluate((long) => {
    const lpTag = (window as any).lpTag
    lpTag.sdes.send({ type: 'searchInfo', keywords: [long] })
    lpTag.sdes.send({ type: 'lead', lead: { topic: 'short' } })
  }, long)
  await expect.poll(() => emulator.received('report').some((r) => r.body.engagementAttributes?.some((a: any) => a.type === 'lead'))).toBe(true)
  const [first] = emulator.received('engagement')
  expect(first!.body.engagementAttributes.map((a: any) => [a.type, a.total])).toEqual([['cart', 2]])
  for (const request of emulator.requests) expect(JSON.stringify(request.body ?? '').length).toBeLessThan(50_000)
  expect(await page.evaluate(() => (window as any).lpTag.sdes.get().every((s: any) => JSON.stringify(s).length < 50_000))).toBe(true)
  expect(consoleLines).toEqual([
    { type: 'warning', text: expect.stringContaining('50,000') },
    { type: 'warning', text: expect.stringContaining('50,000') },
  ])
})

test('listeners that throw or re-enter the bus: the flow completes and the page keeps running', async ({ page, emulator, openTagPage, consoleLines }) => {
  await page.addInitScript(() => {
    const w = window as any
    w.ticks = 0
    setInterval(() => w.ticks++, 5)
    w.log = []
    let lateId = ''
    w.lpTag = {
      events: [
        // Throws on every event, before any other listener.
        ['*', '*', () => { throw new Error('page listener broke') }],
        // Throws something that is not an Error.
        // biome-ignore lint/style/useThrowOnlyError: a page's listener may throw anything
        { eventName: 'ENGAGEMENT', appName: 'LP_TAG', func: () => { throw { toString: () => { throw new Error('nested') } } } },
        // Re-enters: triggers, binds and unbinds from inside a listener of the tag's own event.
        {
          appName: 'LP_TAG',
          eventName: 'ENGAGEMENT',
          func: () => {
            const events = w.lpTag.events
            w.log.push('engagement')
            events.trigger('PAGE', 'FROM_LISTENER', 1)
            lateId = events.bind('LP_OFFERS', 'OFFER_DISPLAY', () => w.log.push('late display'))
            events.bind({ appName: 'LP_OFFERS', eventName: 'START', triggerOnce: true, func: () => { events.unbind(lateId); events.unbind({ appName: '*', eventName: '*' }); w.log.push('start') } })
          },
        },
        ['PAGE', 'FROM_LISTENER', () => w.log.push('page event')],
        ['LP_OFFERS', 'OFFER_DISPLAY', () => (w.displayed = true)],
      ],
    }
  })
  await openTagPage()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  expect(await page.evaluate(() => (window as any).displayed)).toBe(true)
  await waitForRequests(emulator, 1, 'report')
  const log = await page.evaluate(() => (window as any).log)
  expect(log).toEqual(['engagement', 'page event', 'start'])
  // The page's own code goes on: its promise chain after the tag's work, and its timer.
  const result = await page.evaluate(() => (window as any).lpTag.getEngagement().then((r: any) => ((window as any).after = r.status)))
  expect(result).toBe('Available')
  const ticks = await page.evaluate(() => (window as any).ticks)
  await expect.poll(() => page.evaluate(() => (window as any).ticks)).toBeGreaterThan(ticks)
  expect(consoleLines.length).toBeGreaterThan(0)
  for (const line of consoleLines) expect(line).toEqual({ type: 'error', text: expect.stringMatching(/^\[lpTag\] listener for \S+ threw/) })
  await expectNoExecutionNorPollution(page)
})
