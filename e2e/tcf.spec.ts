import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, fired } from './support/fixtures.ts'

// Consent from the page's IAB TCF CMP (contract section 7, `data-lp-consent="tcf"`), against a real
// CMP API: the IAB's own `@iabtechlabtcf/cmpapi`, fed TC strings that `@iabtechlabtcf/core` encodes
// (e2e/server/cmp.ts, served as /__cmp.js), put in the page before the tag as the IAB asks of CMPs.

const CMP = '<script src="/__cmp.js"></script>'

/** The names of the page's IndexedDB databases. */
const databases = (page: Page) => page.evaluate(() => indexedDB.databases().then((all) => all.map((db) => db.name)))

/** Drives the test CMP: a decision, the banner, or the GDPR not applying. */
const cmp = (page: Page, call: string) => page.evaluate(`window.testCmp.${call}`)

/**
 * Consent is not given, as the tag itself says: `getEngagement()` answers at once with error code
 * `consent` (no request goes). A positive signal, not a wait for nothing to happen.
 */
const pending = async (page: Page) => expect(await page.evaluate(() => (window as any).lpTag.getEngagement().then((result: any) => result.error?.code))).toBe('consent')

test.describe('consent from the IAB TCF CMP', () => {
  test('not answered yet: nothing sent, no database; the publisher consents to purpose 1: the request goes, the ids are kept', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await cmp(page, 'showBanner()')
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
    expect(await databases(page)).toEqual([])
    await cmp(page, 'decide({ publisher: true })')
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data.status).toBe('Available')
    await expect.poll(() => databases(page)).toEqual(['lp-tag'])
  })

  test('refused (no consent to purpose 1): nothing sent, no database created', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await cmp(page, 'decide({ publisher: false, purpose: true, vendors: [42] })')
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
    expect(await databases(page)).toEqual([])
    expect(await fired(page, 'LP_OFFERS')).toEqual([])
  })

  test('granted, then withdrawn in the CMP: the ids are erased, nothing is sent after, the offer goes', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
    await cmp(page, 'decide({ publisher: true })')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect.poll(() => databases(page)).toEqual(['lp-tag'])
    await cmp(page, 'decide({ publisher: false })')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    await expect.poll(() => databases(page)).toEqual([])
    const sent = emulator.requests.length
    await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'searchInfo', keywords: ['after'] }))
    await pending(page)
    expect(emulator.requests).toHaveLength(sent)
  })

  test('the GDPR does not apply to this visitor (gdprApplies false): consent is given', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
    await cmp(page, 'notApplies()')
    await waitForRequests(emulator, 1)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
  })

  test('with data-lp-tcf-vendor: purpose 1 and that vendor count, not the publisher\'s consent', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf', 'tcf-vendor': '42' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    // The publisher's consent alone is not the vendor's.
    await cmp(page, 'decide({ publisher: true, purpose: true, vendors: [755] })')
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
    await cmp(page, 'decide({ purpose: true, vendors: [42] })')
    await waitForRequests(emulator, 1)
  })

  test('no CMP on the page: one console line once the document is parsed, consent stays pending; lpTag.consent(true) still works', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { consent: 'tcf' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringMatching(/^\[lpTag\] data-lp-consent is "tcf" but the page has no IAB TCF CMP \(window\.__tcfapi\)/) }])
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
    expect(await databases(page)).toEqual([])
    await page.evaluate(() => (window as any).lpTag.consent(true))
    await waitForRequests(emulator, 1)
  })

  test('a CMP that answers late (long after the tag is configured): nothing before, the request once it answers', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
    await cmp(page, 'decide({ publisher: true })')
    await waitForRequests(emulator, 1)
  })

  test('a CMP whose __tcfapi throws: one console line, consent stays pending, nothing thrown into the page', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({ head: `<script>window.__tcfapi = function () { throw new Error('broken CMP') }</script>`, attrs: { consent: 'tcf' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining("the page's IAB TCF CMP threw") }])
    await pending(page)
    expect(emulator.received('engagement')).toEqual([])
  })
})
