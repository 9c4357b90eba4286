import { test, expect, waitForRequests, waitForEvent, fired, freezeTime } from './support/fixtures.ts'
import { storedRecords } from './support/storage.ts'

test.describe('single-page apps', () => {
  test('newPage starts a new page view with the same visitor, new sections and SDEs', async ({ page, emulator, openTagPage, site }) => {
    await openTagPage({ attrs: { section: 'home' }, head: `<script>window.lpTag = { sdes: [{ type: 'cart', total: 5 }] }</script>` })
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.newPage('/checkout/step-1?coupon=X#pay', { section: ['checkout'], sdes: [{ type: 'purchase', total: 78 }] }))
    const requests = await waitForRequests(emulator, 2)
    const body = requests[1]!.body
    expect(body.entryPoints).toEqual([`${site.url}/checkout/step-1`, 'sec://checkout', 'lang://en-US'])
    expect(body.engagementAttributes).toEqual([{ type: 'purchase', total: 78 }])
    expect([requests[1]!.query.vid, requests[1]!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
    expect(await page.evaluate(() => (window as any).lpTag.sdes.get())).toEqual([{ type: 'purchase', total: 78 }])
  })

  test('newPage aborts the request still in flight: one request per page', async ({ page, emulator, openTagPage }) => {
    emulator.fault({ status: 503 })
    await freezeTime(page)
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'RETRY')
    // The first page view is waiting to retry; the new page view replaces it.
    await page.evaluate(() => (window as any).lpTag.newPage('/next'))
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.clock.runFor(200_000)
    expect(emulator.received('engagement').map((r) => r.status)).toEqual([503, 201])
    expect(await fired(page, 'LP_TAG', 'ENGAGEMENT')).toHaveLength(1)
  })

  test('data-lp-spa="history": pushState and back start page views; query-only changes do not', async ({ page, emulator, openTagPage, site }) => {
    await openTagPage({ attrs: { spa: 'history' }, path: '/app/home' })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const pushed = await page.evaluate(() => {
      const result = history.pushState({ step: 1 }, '', '/app/products')
      return [result, history.state]
    })
    expect(pushed).toEqual([undefined, { step: 1 }])
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
    await page.evaluate(() => history.replaceState(null, '', '/app/products?sort=price#top'))
    await page.goBack()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 3)
    const pages = emulator.received('engagement').map((r) => r.body.entryPoints[0])
    expect(pages).toEqual([`${site.url}/app/home`, `${site.url}/app/products`, `${site.url}/app/home`])
  })
})

test('an app that replaces <body> and navigates gets the old offer removed and a new one in the new body', async ({ page, openTagPage }) => {
  await openTagPage({ attrs: { spa: 'history', format: 'toaster' }, path: '/app/home' })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  await page.evaluate(() => {
    // What a client-side router does: new body content, then a new URL.
    document.body.replaceChildren(Object.assign(document.createElement('main'), { textContent: 'Products' }))
    history.pushState(null, '', '/app/products')
  })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
  const sequence = (await fired(page, 'LP_OFFERS')).map((e) => e.eventName).filter((n) => n !== 'OFFER_IMPRESSION')
  expect(sequence).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE', 'START', 'OFFER_DISPLAY'])
  await expect(page.locator('body > [data-lp-engagement]')).toHaveCount(1)
  await expect(page.locator('[data-lp-engagement] >> [data-lp-action="accept"]')).toBeVisible()
})

test.describe('consent', () => {
  test('pending: nothing is sent and no database is opened until consent(true)', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { consent: 'pending' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    expect(await page.evaluate(() => (window as any).lpTag.loaded)).toBe(true)
    const pending = await page.evaluate(() => (window as any).lpTag.getEngagement())
    expect(pending.error.code).toBe('consent')
    expect(await page.evaluate(() => indexedDB.databases())).toEqual([])
    expect(emulator.requests).toEqual([])

    await page.evaluate(() => (window as any).lpTag.consent(true))
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data.status).toBe('Available')
    expect((await page.evaluate(() => indexedDB.databases())).map((d) => d.name)).toEqual(['lp-tag'])
  })

  test('consent(false) removes a showing offer', async ({ page, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
  })

  test('consent(false) deletes the stored ids: the next visit is a new visitor', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.consent(false))
    await expect.poll(async () => (await storedRecords(page)).length).toBe(0)
    await page.reload()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const [, second] = emulator.received('engagement')
    expect(second!.query.vid).toBeUndefined()
    expect(second!.body.identities[0].sub).not.toBe(emulator.received('engagement')[0]!.body.identities[0].sub)
    expect(first!.data.visitorId).toBeTruthy()
  })
})
