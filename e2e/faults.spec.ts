import { test, expect, waitForRequests, waitForEvent, fired, freezeTime, engagementFetches, type Emulator } from './support/fixtures.ts'
import { storedRecords } from './support/storage.ts'
import type { Page } from '@playwright/test'

// Every answer of the Monitoring API's error table and every malformed answer we could think of,
// one test each, against contract section 5. Each case checks the documented behaviour with a
// fake clock, the console lines exactly, and that nothing invalid ended up in IndexedDB.

type Fault = Parameters<Emulator['fault']>[0]

/** What the contract says the tag does with the answer. */
type Behaviour =
  | 'accept' // a good answer, taken as it is: no retry, no console line
  | 'retry' // retried after exactly 3 s, then the emulator's normal answer is taken
  | 'loading' // "Loading account": retried after 3 s carrying the vid from the message
  | 'forget' // 404/37, 404/39: sent once more at once without vid/sid
  | 'reject' // any other 4xx: final, one console.error with the server's message

/** The id rule of `src/ids.ts`: what may go into URLs and storage. */
const ID = /^[\w.~+/=:-]{1,128}$/
const LOADING_VID = 'LoadingVisitor0000000001'
const GOOD = { sessionId: 'sess-1', visitorId: 'visitor-1', pageId: '4743822558' }

const cases: [name: string, fault: Fault, behaviour: Behaviour, consoleText?: string][] = [
  ['200 with the documented JSON', { status: 200, body: JSON.stringify(GOOD) }, 'accept'],
  ['201 with the documented JSON', { status: 201, body: JSON.stringify(GOOD) }, 'accept'],
  ['202/38 loading account (v1.1)', { status: 202, internalCode: 38, message: `Loading account: 12345678, vid: ${LOADING_VID}` }, 'loading'],
  ['500/20 loading account (v1.0)', { status: 500, internalCode: 20, message: `Loading account: 12345678, vid: ${LOADING_VID}` }, 'loading'],
  ['400/5 request data invalid', { status: 400, internalCode: 5, message: 'request data missing or invalid' }, 'reject', 'HTTP 400/5: request data missing or invalid'],
  ['400/33 illegal API version', { status: 400, internalCode: 33, message: 'illegal API version requested' }, 'reject', 'HTTP 400/33: illegal API version requested'],
  ['404/5 (an undocumented pair)', { status: 404, internalCode: 5, message: 'not found' }, 'reject', 'HTTP 404/5: not found'],
  ['404/18 invalid appInstallationId', { status: 404, internalCode: 18, message: 'invalid appInstallationId: a1b2c3' }, 'reject', 'HTTP 404/18: invalid appInstallationId: a1b2c3'],
  ['404/37 invalid visitorId', { status: 404, internalCode: 37, message: 'invalid visitorId' }, 'forget'],
  ['404/39 invalid sessionId', { status: 404, internalCode: 39, message: 'invalid sessionId' }, 'forget'],
  ['500/18 internal server error', { status: 500, internalCode: 18 }, 'retry'],
  ['503 without a JSON body', { status: 503, body: 'Service Unavailable' }, 'retry'],
  ['an HTML error page with 200', { status: 200, body: '<!doctype html><html><body><h1>Oops</h1></body></html>', contentType: 'text/html' }, 'retry'],
  ['an HTML error page with 502', { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }, 'retry'],
  ['a truncated JSON body', { status: 201, body: '{"sessionId":"abc","visitorId":"xy' }, 'retry'],
  ['a non-JSON 2xx', { status: 200, body: 'OK', contentType: 'text/plain' }, 'retry'],
  ['an empty 2xx', { status: 200, body: '' }, 'retry'],
  ['a JSON 2xx that is not an object', { status: 200, body: '["sess-1","visitor-1"]' }, 'retry'],
  ['wrong types (sessionId: 5)', { status: 201, body: '{"sessionId": 5, "visitorId": "visitor-1", "pageId": "1"}' }, 'retry'],
  ['missing ids', { status: 201, body: '{"pageId": "1"}' }, 'retry'],
  ['ids with control characters', { status: 201, body: JSON.stringify({ sessionId: 'sess\u0000-1', visitorId: 'visitor\n-1', pageId: '1' }) }, 'retry'],
  ['a megabyte-long visitorId', { status: 201, body: JSON.stringify({ ...GOOD, visitorId: 'v'.repeat(1 << 20) }) }, 'retry'],
  ['engagementDetails that is not an array', { status: 201, body: JSON.stringify({ ...GOOD, engagementDetails: { status: 'expose' } }) }, 'retry'],
  ['an unknown extra field (accepted)', { status: 201, body: JSON.stringify({ ...GOOD, futureField: { nested: [1, 2] }, time: 1501074704502 }) }, 'accept'],
  ['JSON sent as application/octet-stream (accepted)', { status: 201, body: JSON.stringify(GOOD), contentType: 'application/octet-stream' }, 'accept'],
]

async function expectNothingInvalidStored(page: Page) {
  for (const record of await storedRecords(page)) {
    const { vid, sid } = record as { vid?: unknown; sid?: unknown }
    if (vid !== undefined) expect(vid).toMatch(ID)
    if (sid !== undefined) expect(sid).toMatch(ID)
  }
}

test.describe('fault matrix (contract section 5)', () => {
  for (const [name, fault, behaviour, consoleText] of cases) {
    test(`${name}: ${behaviour}`, async ({ page, emulator, openTagPage, consoleLines }) => {
      emulator.fault(fault)
      await freezeTime(page)
      await openTagPage({ attrs: { 'api-version': name.includes('v1.0') ? '1.0' : '1.1' } })

      if (behaviour === 'accept') {
        const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
        expect(engagement!.data).toEqual({ status: 'NotAvailable', ...GOOD })
        await page.clock.runFor(200_000)
        expect(await engagementFetches(page)).toHaveLength(1)
        expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
        expect(consoleLines).toEqual([])
        // The accepted ids are the ones kept for the next visit.
        await expect.poll(() => storedRecords(page)).toEqual([expect.objectContaining({ vid: GOOD.visitorId, sid: GOOD.sessionId })])
      }

      if (behaviour === 'retry' || behaviour === 'loading') {
        const [retry] = await waitForEvent(page, 'LP_TAG', 'RETRY')
        expect(retry!.data).toEqual({ attempt: 1, delayMs: 3000, status: fault!.status })
        await page.clock.runFor(2999)
        expect(await engagementFetches(page)).toHaveLength(1)
        await page.clock.runFor(1)
        const requests = await waitForRequests(emulator, 2)
        const fetches = await engagementFetches(page)
        expect(fetches[1]!.at - fetches[0]!.at).toBe(3000)
        if (behaviour === 'loading') expect(requests[1]!.query.vid).toBe(LOADING_VID)
        else expect(requests[1]!.query.vid).toBeUndefined()
        const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
        expect(engagement!.data.status).toBe('Available')
        if (behaviour === 'loading') expect(engagement!.data.visitorId).toBe(LOADING_VID)
        expect(emulator.received('engagement').map((r) => r.status)).toEqual([fault!.status, 201])
        expect(consoleLines).toEqual([])
      }

      if (behaviour === 'forget') {
        const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
        expect(engagement!.data.status).toBe('Available')
        const requests = emulator.received('engagement')
        expect(requests.map((r) => [r.status, r.query.vid, r.query.sid])).toEqual([
          [fault!.status, undefined, undefined],
          [201, undefined, undefined],
        ])
        // Sent once more at once: no pause, no RETRY event.
        const fetches = await engagementFetches(page)
        expect(fetches[1]!.at - fetches[0]!.at).toBe(0)
        expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
        expect(consoleLines).toEqual([])
      }

      if (behaviour === 'reject') {
        const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
        expect(error!.data).toEqual({ code: 'rejected', message: expect.stringContaining(consoleText!) })
        await page.clock.runFor(200_000)
        expect(await engagementFetches(page)).toHaveLength(1)
        expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
        expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining(consoleText!) }])
      }

      await expectNothingInvalidStored(page)
    })
  }

  test('a dropped connection: retried after 3 s as status 0, then the normal answer is taken', async ({ page, emulator, openTagPage, consoleLines }) => {
    // Chromium silently resends a request whose reused connection dropped once, so several
    // connections drop; the queue is cleared once the tag has seen the failure.
    emulator.fault({ drop: true, count: 10 })
    await freezeTime(page)
    await openTagPage()
    const [retry] = await waitForEvent(page, 'LP_TAG', 'RETRY')
    expect(retry!.data).toEqual({ attempt: 1, delayMs: 3000, status: 0 })
    emulator.reset()
    await page.clock.runFor(2999)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.clock.runFor(1)
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data.status).toBe('Available')
    expect(emulator.received('engagement').map((r) => r.status)).toEqual([201])
    expect(consoleLines).toEqual([])
    await expectNothingInvalidStored(page)
  })

  test('an answer slower than the 10 s time-out: abandoned at 10 s, retried 3 s later', async ({ page, emulator, openTagPage, consoleLines }) => {
    emulator.fault({ delayMs: 30_000 })
    await freezeTime(page)
    await openTagPage()
    await waitForRequests(emulator, 1)
    await page.clock.runFor(9999)
    expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
    await page.clock.runFor(1)
    const [retry] = await waitForEvent(page, 'LP_TAG', 'RETRY')
    expect(retry!.data).toEqual({ attempt: 1, delayMs: 3000, status: 0 })
    await page.clock.runFor(2999)
    expect(await engagementFetches(page)).toHaveLength(1)
    await page.clock.runFor(1)
    const fetches = await expect.poll(async () => (await engagementFetches(page)).length).toBe(2).then(() => engagementFetches(page))
    expect(fetches[1]!.at - fetches[0]!.at).toBe(13_000)
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data.status).toBe('Available')
    // The late first answer (if it ever arrives) changes nothing: one ENGAGEMENT only.
    expect(await fired(page, 'LP_TAG', 'ENGAGEMENT')).toHaveLength(1)
    expect(consoleLines).toEqual([])
    await expectNothingInvalidStored(page)
  })
})
