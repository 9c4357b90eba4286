import { test, expect, type Tab } from './fixtures.ts'

// Consent from the page's IAB TCF CMP (`data-lp-consent="tcf"`) on each engine, against the IAB's
// own CmpApi (served as /__cmp.js, see e2e/server/cmp.ts): the CMP's events reach the tag the same
// way in every browser, and a withdrawal erases the ids from each engine's IndexedDB.

const CMP = '<script src="/__cmp.js"></script>'

const databases = (tab: Tab) => tab.evaluate(() => indexedDB.databases().then((all) => all.map((db) => db.name)))
const decide = (tab: Tab, choice: object) => tab.evaluate((c) => (window as any).testCmp.decide(c), choice)
/** `getEngagement()` answers at once with error code `consent`: consent is not given, and no request goes. */
const pending = async (tab: Tab) => expect(await tab.evaluate(() => (window as any).lpTag.getEngagement().then((result: any) => result.error?.code))).toBe('consent')

test('pending until the visitor decides; granted: request and ids; withdrawn: ids erased, offer removed, nothing sent after', async ({ tab, emulator }) => {
  await tab.openTagPage({ head: CMP, attrs: { consent: 'tcf', format: 'toaster' } })
  await tab.waitForEvent('LP_TAG', 'READY')
  await pending(tab)
  expect(emulator.received('engagement')).toEqual([])
  expect(await databases(tab)).toEqual([])
  await decide(tab, { publisher: true })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  expect(await tab.waitFor(() => indexedDB.databases().then((all) => all.length === 1 && all[0]!.name))).toBe('lp-tag')
  await decide(tab, { publisher: false })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_REMOVE')
  await tab.waitFor(() => indexedDB.databases().then((all) => all.length === 0))
  const sent = emulator.requests.length
  await tab.evaluate(() => (window as any).lpTag.sdes.push({ type: 'searchInfo', keywords: ['after'] }))
  await pending(tab)
  expect(emulator.requests).toHaveLength(sent)
  expect((await tab.probe()).lines).toEqual([])
})

test('refused (purpose 1 not consented): nothing sent, no database, no offer', async ({ tab, emulator }) => {
  await tab.openTagPage({ head: CMP, attrs: { consent: 'tcf' } })
  await tab.waitForEvent('LP_TAG', 'READY')
  await decide(tab, { publisher: false, purpose: true, vendors: [42] })
  await pending(tab)
  expect(emulator.received('engagement')).toEqual([])
  expect(await databases(tab)).toEqual([])
  expect(await tab.offerEvents()).toEqual([])
})
