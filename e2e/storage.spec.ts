import { test, expect, waitForRequests, waitForEvent, freezeTime, engagementFetches, tagScript, ACCOUNT, APP, type Emulator } from './support/fixtures.ts'
import { recordKey, seedStoredRecord, storedRecords } from './support/storage.ts'
import type { Page } from '@playwright/test'

// IndexedDB failing in every way a browser lets it fail (contract section 7): the tag keeps the
// ids in memory for the page, goes on, and says so exactly once. `identity.spec.ts` already covers
// IndexedDB missing and `indexedDB.open` throwing; these are the other ways.

/** Runs the flow twice and checks the second request continues the first's visitor and session. */
async function expectInMemoryIds(page: Page, emulator: Emulator) {
  const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
  expect(first!.data.status).toBe('Available')
  const second = await page.evaluate(() => (window as any).lpTag.getEngagement())
  const requests = await waitForRequests(emulator, 2)
  expect([requests[1]!.query.vid, requests[1]!.query.sid]).toEqual([first!.data.visitorId, first!.data.sessionId])
  expect(requests[1]!.body.identities[0].sub).toBe(requests[0]!.body.identities[0].sub)
  expect([second.visitorId, second.sessionId]).toEqual([first!.data.visitorId, first!.data.sessionId])
  expect(emulator.sessions(ACCOUNT)).toHaveLength(1)
}

const WARNED_ONCE = [{ type: 'warning', text: expect.stringContaining('IndexedDB') }]

test.describe('IndexedDB failures: in-memory ids, one warning', () => {
  const failing: [string, () => void][] = [
    [
      'reading window.indexedDB throws (sandboxed, opaque origin)',
      () =>
        Object.defineProperty(window, 'indexedDB', {
          get() {
            throw new DOMException('Access is denied for this document.', 'SecurityError')
          },
        }),
    ],
    [
      'open fails asynchronously (an error event on the request)',
      () => {
        IDBFactory.prototype.open = function () {
          const request: any = new EventTarget()
          request.error = new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError')
          // A microtask, not a timer: it fires even with the clock paused.
          Promise.resolve().then(() => {
            const event = new Event('error', { cancelable: true })
            request.onerror?.(event)
            request.dispatchEvent(event)
          })
          return request as IDBOpenDBRequest
        }
      },
    ],
    [
      'put throws QuotaExceededError',
      () => {
        IDBObjectStore.prototype.put = function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        }
      },
    ],
    [
      'the write transaction aborts with a quota error',
      () => {
        const put = IDBObjectStore.prototype.put
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
          const request = put.apply(this, args)
          this.transaction.abort()
          return request
        }
      },
    ],
  ]
  for (const [name, breakIt] of failing) {
    test(name, async ({ page, emulator, openTagPage, consoleLines }) => {
      await page.addInitScript(breakIt)
      await openTagPage()
      await expectInMemoryIds(page, emulator)
      expect(consoleLines).toEqual(WARNED_ONCE)
    })
  }

  test('open never answers: the 2 s guard gives up on storage, nothing waits longer', async ({ page, emulator, openTagPage, consoleLines }) => {
    await page.addInitScript(() => {
      const w = window as any
      w.__opens = 0
      IDBFactory.prototype.open = function () {
        w.__opens++
        return {} as IDBOpenDBRequest // a request whose events never fire
      }
    })
    await freezeTime(page)
    await openTagPage()
    await expect.poll(() => page.evaluate(() => (window as any).__opens)).toBe(1)
    await page.clock.runFor(1999)
    expect(await engagementFetches(page)).toEqual([])
    await page.clock.runFor(1)
    await expectInMemoryIds(page, emulator)
    // One failure is enough: the tag did not try the database again.
    expect(await page.evaluate(() => (window as any).__opens)).toBe(1)
    expect(consoleLines).toEqual(WARNED_ONCE)
  })

  test('blocked by another connection that never closes (a version change waiting on it)', async ({ page, emulator, openTagPage, consoleLines }) => {
    await freezeTime(page)
    // The page holds the database open and ignores `versionchange`; a second request for a newer
    // version then waits for it forever, and every later open of the database queues behind that.
    await openTagPage({
      noTag: true,
      head: `<script>
        const held = indexedDB.open('lp-tag', 1)
        held.onsuccess = () => {
          window.__held = held.result
          const upgrade = indexedDB.open('lp-tag', 2)
          upgrade.onblocked = () => (window.__blocked = true)
        }
      </script>`,
    })
    await expect.poll(() => page.evaluate(() => (window as any).__blocked)).toBe(true)
    await page.evaluate((html) => {
      const script = document.createElement('script')
      const template = document.createElement('template')
      template.innerHTML = html
      for (const attr of (template.content.firstElementChild as HTMLScriptElement).attributes) script.setAttribute(attr.name, attr.value)
      document.head.append(script)
    }, tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }))
    await expect.poll(() => page.evaluate(() => typeof (window as any).lpTag?.getEngagement)).toBe('function')
    await page.clock.runFor(1999)
    expect(await engagementFetches(page)).toEqual([])
    await page.clock.runFor(1)
    await expectInMemoryIds(page, emulator)
    expect(consoleLines).toEqual(WARNED_ONCE)
  })

  test("the page's own database named lp-tag without the tag's store", async ({ page, site, emulator, openTagPage, consoleLines }) => {
    site.setPage('/t/seed-empty.html', '<!doctype html><title>seed</title>')
    await page.goto(`${site.url}/t/seed-empty.html`)
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const open = indexedDB.open('lp-tag', 1)
          open.onupgradeneeded = () => open.result.createObjectStore('other')
          open.onsuccess = () => (open.result.close(), resolve())
        }),
    )
    await openTagPage()
    await expectInMemoryIds(page, emulator)
    expect(consoleLines).toEqual(WARNED_ONCE)
  })
})

test('a stored record of the wrong shape: ignored, the flow goes on, a valid record replaces it, no warning', async ({ page, site, emulator, openTagPage, consoleLines }) => {
  // IndexedDB works here, so this is not the fallback: the garbage record is never used and the
  // next save overwrites it (identity.spec.ts checks the first request; this checks what follows).
  await seedStoredRecord(page, site, recordKey(emulator), ['not', { an: 'object' }, 'record'])
  await openTagPage()
  await expectInMemoryIds(page, emulator)
  const [first] = emulator.received('engagement')
  expect(first!.query.vid).toBeUndefined()
  const [session] = emulator.sessions(ACCOUNT)
  await expect.poll(() => storedRecords(page)).toEqual([{ vid: session!.vid, sid: session!.sid, sub: first!.body.identities[0].sub }])
  expect(consoleLines).toEqual([])
})
