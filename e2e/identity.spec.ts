import { test, expect, waitForRequests, waitForEvent, ACCOUNT } from './support/fixtures.ts'
import { recordKey, seedStoredRecord, storedRecords } from './support/storage.ts'

test.describe('visitor identity', () => {
  test('a reload and a later visit continue the same visitor and session', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const firstSub = emulator.received('engagement')[0]!.body.identities[0].sub

    await page.reload()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    // A later visit: another page of the site, in the same browser profile.
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')

    const requests = await waitForRequests(emulator, 3)
    expect(requests).toHaveLength(3)
    for (const request of requests.slice(1)) {
      expect(request.query).toEqual({ v: '1.1', vid: first!.data.visitorId, sid: first!.data.sessionId, obh: 'false' })
      expect(request.body.identities[0].sub).toBe(firstSub)
      expect(request.status).toBe(200)
    }
    expect(emulator.sessions(ACCOUNT)).toHaveLength(1)
    expect(consoleLines).toEqual([])
  })

  test('nothing goes to cookies, localStorage or sessionStorage; the ids live in IndexedDB', async ({ page, context, openTagPage }) => {
    await openTagPage()
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(await context.cookies()).toEqual([])
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0])
    const stored = await storedRecords(page)
    expect(stored).toEqual([{ vid: engagement!.data.visitorId, sid: engagement!.data.sessionId, sub: expect.stringMatching(/^[0-9a-f-]{36}$/) }])
  })

  for (const [name, breakIt] of [
    ['IndexedDB is missing', () => Object.defineProperty(window, 'indexedDB', { value: undefined })],
    [
      'IndexedDB.open fails',
      () => {
        IDBFactory.prototype.open = function () {
          throw new DOMException('The operation is insecure.', 'SecurityError')
        }
      },
    ],
  ] as const) {
    test(`${name}: ids are kept in memory and the flow goes on`, async ({ page, emulator, openTagPage, consoleLines }) => {
      await page.addInitScript(breakIt)
      await openTagPage()
      const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(first!.data.status).toBe('Available')
      await page.evaluate(() => (window as any).lpTag.getEngagement())
      const requests = await waitForRequests(emulator, 2)
      expect([requests[1]!.query.vid, requests[1]!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
      expect(requests[1]!.body.identities[0].sub).toBe(requests[0]!.body.identities[0].sub)
      expect(consoleLines).toEqual([{ type: 'warning', text: expect.stringContaining('IndexedDB is not usable') }])
    })
  }

  test('a stored record of the wrong shape is ignored and replaced', async ({ page, emulator, openTagPage, site }) => {
    await seedStoredRecord(page, site, recordKey(emulator), { vid: 'x'.repeat(5000), sid: '\u0000', sub: 42 })
    await openTagPage()
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const [request] = emulator.received('engagement')
    expect(request!.query.vid).toBeUndefined()
    expect(request!.body.identities[0].sub).toMatch(/^[0-9a-f-]{36}$/)
    expect(engagement!.data.status).toBe('Available')
  })
})
