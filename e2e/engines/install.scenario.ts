import { test, expect, ACCOUNT, APP } from './fixtures.ts'

// Each installation page of public/install/ on each engine: the page integrators copy from, as
// served, with the tag from dist/, against this test's emulator on another origin.

const PAGES = ['cms', 'twice', 'gtm', 'gtm-stripped', 'async', 'defer', 'preload', 'element']

for (const name of PAGES) {
  test(`installation page ${name}.html: one request, an offer shown, events in order, no console line`, async ({ tab, emulator }) => {
    await tab.open(`/install/${name}.html`)
    await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
    const requests = emulator.received('engagement')
    expect(requests).toHaveLength(1)
    expect(requests[0]!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(requests[0]!.status).toBe(201)
    const tagEvents = (await tab.fired('LP_TAG')).map((e) => e.eventName)
    expect(tagEvents).toEqual(['READY', 'ENGAGEMENT'])
    expect((await tab.offerEvents()).slice(0, 2)).toEqual(['START', 'OFFER_DISPLAY'])
    expect(await tab.box('[data-lp-engagement] >> [data-lp-action="accept"]')).toBeTruthy()
    const probe = await tab.probe()
    expect(probe.lines).toEqual([])
  })
}
