import type { Page } from '@playwright/test'
import { ACCOUNT, type Emulator, type Site } from './fixtures.ts'

/** The key of the tag's record for the test's emulator and the demo account. */
export const recordKey = (emulator: Emulator) => `${emulator.url}|${ACCOUNT}`

/** Every record of the tag's `lp-tag`/`ids` store; none when the database or store does not exist (it is not created here). */
export function storedRecords(page: Page) {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve) => {
        const open = indexedDB.open('lp-tag')
        // No database yet: abort the creation this open would do, the tag did not store anything.
        open.onupgradeneeded = () => open.transaction!.abort()
        open.onerror = (event) => (event.preventDefault(), resolve([]))
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('ids')) return (db.close(), resolve([]))
          const all = db.transaction('ids').objectStore('ids').getAll()
          all.onsuccess = () => (db.close(), resolve(all.result))
          all.onerror = () => (db.close(), resolve([]))
        }
      }),
  )
}

/** Writes `value` under `key` in the tag's store from a page of the site, as an earlier visit (or a bad one) left it. */
export async function seedStoredRecord(page: Page, site: Site, key: string, value: unknown) {
  site.setPage('/t/seed.html', '<!doctype html><title>seed</title>')
  await page.goto(`${site.url}/t/seed.html`)
  await page.evaluate(
    ([k, v]) =>
      new Promise<void>((resolve) => {
        const open = indexedDB.open('lp-tag')
        open.onupgradeneeded = () => open.result.createObjectStore('ids')
        open.onsuccess = () => {
          const tx = open.result.transaction('ids', 'readwrite')
          tx.objectStore('ids').put(v, k as string)
          tx.oncomplete = () => (open.result.close(), resolve())
        }
      }),
    [key, value] as const,
  )
}
