import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, fired, freezeTime, engagementFetches, settle, ACCOUNT, type Emulator } from './support/fixtures.ts'
import { offerEventNames, reportedImpressions } from './support/offers.ts'

// `data-lp-refresh`: availability re-checked every N seconds of visible time, on a fake clock.

const MINUTE = 60_000

/** Makes the page hidden or visible as a background tab would, through the getter the browser has. */
async function setVisibility(page: Page, state: 'hidden' | 'visible') {
  await page.evaluate((state) => {
    const w = window as any
    if (!w.__visibility) Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => w.__visibility })
    w.__visibility = state
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
  }, state)
}

/** The next engagement answer, as the API would give it for this visitor and session. */
function nextAnswer(emulator: Emulator, ids: { visitorId: string; sessionId: string }, engagementDetails?: object[]) {
  emulator.fault({ status: 200, body: JSON.stringify({ visitorId: ids.visitorId, sessionId: ids.sessionId, pageId: '77', ...(engagementDetails && { engagementDetails }) }) })
}

const OTHER = { status: 'expose', campaignId: 11, engagementId: 22, engagementRevision: 1, contextId: 'ctx-refreshed', windowId: '5', language: 'de-DE' }

/** Opens a page with the site-wide offer and `data-lp-refresh="60"`; resolves with its first answer. */
async function openRefreshing(page: Page, openTagPage: (o?: object) => Promise<string>, attrs: Record<string, string> = {}) {
  await freezeTime(page)
  await openTagPage({ attrs: { refresh: '60', format: 'toaster', ...attrs } })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await settle(page)
  const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
  return engagement!.data as { visitorId: string; sessionId: string; engagementDetails: { engagementId: number } }
}

test.describe('refresh', () => {
  test('re-checks every 60 s of visible time in the same session; the offer still exposed stays as it is', async ({ page, emulator, openTagPage }) => {
    const first = await openRefreshing(page, openTagPage)
    await page.clock.runFor(MINUTE - 1)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.clock.runFor(1)
    const [, second] = await waitForRequests(emulator, 2)
    expect(second!.query).toMatchObject({ vid: first.visitorId, sid: first.sessionId })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
    await page.clock.runFor(MINUTE)
    await waitForRequests(emulator, 3)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 3)
    const fetches = await engagementFetches(page)
    expect(fetches.slice(1).map((f, i) => f.at - fetches[i]!.at)).toEqual([MINUTE, MINUTE].map((ms) => expect.closeTo(ms, -2)))
    // One offer, drawn once and reported once: the re-checks changed nothing the visitor sees.
    expect((await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY'])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(1)
    expect(await reportedImpressions(emulator, 1)).toEqual(['impDisplay'])
  })

  test('an offer the API no longer exposes is removed (OFFER_REMOVE); a new one may appear', async ({ page, emulator, openTagPage }) => {
    const first = await openRefreshing(page, openTagPage)
    nextAnswer(emulator, first)
    await page.clock.runFor(MINUTE)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect((await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE'])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)

    nextAnswer(emulator, first, [OTHER])
    await page.clock.runFor(MINUTE)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    const starts = (await fired(page, 'LP_OFFERS', 'START')).map((e) => e.data.engagementId)
    expect(starts).toEqual([first.engagementDetails.engagementId, 22])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(1)
  })

  test('an open conversation ends the offer: CONVERSATION, OFFER_REMOVE', async ({ page, emulator, openTagPage }) => {
    const first = await openRefreshing(page, openTagPage)
    emulator.openConversation(ACCOUNT, first.visitorId, { conversationId: 'c-1', campaignId: 1, engagementId: 2 })
    await page.clock.runFor(MINUTE)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect(await fired(page, 'LP_TAG', 'CONVERSATION')).toHaveLength(1)
    expect(await offerEventNames(page)).not.toContain('OFFER_DECLINED')
  })

  test('a hidden page does not poll; shown again, it goes on with the time that was left', async ({ page, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    await page.clock.runFor(MINUTE / 2)
    await setVisibility(page, 'hidden')
    await page.clock.runFor(10 * MINUTE)
    expect(await engagementFetches(page)).toHaveLength(1)
    await setVisibility(page, 'visible')
    await page.clock.runFor(MINUTE / 2 - 1)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.clock.runFor(1)
    await expect.poll(async () => (await engagementFetches(page)).length).toBe(2)
  })

  test('an offer the visitor declined is not shown again by a re-check; a new page view may show it', async ({ page, emulator, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    await page.locator('[data-lp-engagement] >> [data-lp-action="close"]').click()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await waitForRequests(emulator, 2, 'report')
    await settle(page)
    await page.clock.runFor(MINUTE)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
    expect(await fired(page, 'LP_OFFERS', 'START')).toHaveLength(1)
    await page.evaluate(() => (window as any).lpTag.newPage(location.href))
    await waitForEvent(page, 'LP_OFFERS', 'START', 2)
    expect(await reportedImpressions(emulator, 3)).toEqual(['impDisplay', 'impClose', 'impDisplay'])
  })

  test('the Monitoring API down on a re-check: the offer stays, re-checks go on after the retries', async ({ page, emulator, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    emulator.fault({ status: 503, count: 5 })
    await page.clock.runFor(MINUTE)
    for (const [attempt, pause] of [[1, 3000], [2, 10_000], [3, 30_000], [4, 90_000]] as const) {
      await waitForEvent(page, 'LP_TAG', 'RETRY', attempt)
      await page.clock.runFor(pause)
    }
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.code).toBe('unavailable')
    expect(await offerEventNames(page)).not.toContain('OFFER_REMOVE')
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(1)
    expect(await engagementFetches(page)).toHaveLength(6)
    await page.clock.runFor(MINUTE)
    await expect.poll(async () => (await engagementFetches(page)).length).toBe(7)
  })

  test('off by default: no re-check', async ({ page, openTagPage }) => {
    await freezeTime(page)
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.clock.runFor(10 * MINUTE)
    expect(await engagementFetches(page)).toHaveLength(1)
  })

  test('consent(false) stops the re-checks; consent(true) starts them again', async ({ page, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await page.clock.runFor(10 * MINUTE)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.evaluate(() => (window as any).lpTag.consent(true))
    await page.clock.runFor(MINUTE)
    await expect.poll(async () => (await engagementFetches(page)).length).toBe(2)
  })
})

test.describe('refresh, under hostile timing and page code', () => {
  test('a re-check asks what the page asked: sections given to getEngagement keep their offer', async ({ page, emulator, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    // The sales campaign needs the section; this page has none of its own.
    await page.evaluate(() => (window as any).lpTag.getEngagement({ consumerSections: ['sales'] }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    await settle(page)
    await page.clock.runFor(MINUTE)
    const requests = await waitForRequests(emulator, 3)
    expect(requests[2]!.body.entryPoints).toContain('sec://sales')
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 3)
    expect((await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE', 'START', 'OFFER_DISPLAY'])
  })

  test('the same engagement in a new session (the old one expired) starts again, reported in the new one', async ({ page, emulator, openTagPage }) => {
    const first = await openRefreshing(page, openTagPage)
    const d = (await fired(page, 'LP_TAG', 'ENGAGEMENT'))[0]!.data.engagementDetails
    nextAnswer(emulator, { visitorId: first.visitorId, sessionId: 'NewSessionAbcdefghij1234' }, [{ status: 'expose', campaignId: d.campaignId, engagementId: d.engagementId, engagementRevision: d.engagementRevision, contextId: '7' }])
    await page.clock.runFor(MINUTE)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    expect((await fired(page, 'LP_OFFERS', 'START')).map((e) => e.data.contextId)).toEqual([d.contextId, '7'])
  })

  test('consent(true) while consent holds does not postpone the re-check', async ({ page, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    for (let i = 0; i < 4; i++) {
      await page.clock.runFor(MINUTE / 4)
      await page.evaluate(() => (window as any).lpTag.consent(true))
    }
    await expect.poll(async () => (await engagementFetches(page)).length).toBe(2)
  })

  test('hidden without the event reaching window (page code stopped it): no poll until shown', async ({ page, openTagPage }) => {
    await openRefreshing(page, openTagPage)
    await page.evaluate(() => {
      const w = window as any
      w.__visibility = 'hidden'
      Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => w.__visibility })
      document.addEventListener('visibilitychange', (event) => event.stopPropagation())
    })
    await page.clock.runFor(5 * MINUTE)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.evaluate(() => {
      ;(window as any).__visibility = 'visible'
      window.dispatchEvent(new Event('visibilitychange'))
    })
    await page.clock.runFor(1)
    await expect.poll(async () => (await engagementFetches(page)).length).toBe(2)
  })
})

test('an offer the visitor declined is not shown again by the check that SDEs pushed after it start', async ({ page, emulator, openTagPage }) => {
  await openTagPage({ attrs: { format: 'toaster' } })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await page.locator('[data-lp-engagement] >> [data-lp-action="close"]').click()
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
  await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'cart', total: 20 }))
  await waitForRequests(emulator, 2)
  await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
  expect(await fired(page, 'LP_OFFERS', 'START')).toHaveLength(1)
  // The page asking is another matter: it gets what it asks for.
  await page.evaluate(() => (window as any).lpTag.getEngagement())
  await waitForEvent(page, 'LP_OFFERS', 'START', 2)
})
