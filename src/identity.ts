import { createStore, get, set, del, type UseStore } from 'idb-keyval'
import { isId } from './checks.ts'

/** The visitor's ids: `vid`/`sid` from the API, `sub` the random unauthenticated identity. */
export interface Ids {
  vid?: string
  sid?: string
  sub: string
}

export interface IdentityStore {
  /** The ids kept for this API origin and account: from IndexedDB once, then from memory. */
  load(): Promise<Ids>
  save(ids: Ids): Promise<void>
  /** Forget vid/sid (the API said they are invalid); `sub` stays. */
  forgetSession(): Promise<void>
  /** Delete everything stored (consent withdrawn, "forget visitor"). */
  clear(): Promise<void>
  /** Where the ids live now, for the debug panel. */
  where(): 'indexeddb' | 'memory'
}

// Stores time out rather than hang: an `open` blocked by another tab's connection never settles.
const STORAGE_TIMEOUT_MS = 2000

/**
 * A random v4 UUID (the reference recommends one per visitor as the unauthenticated `sub`).
 * `crypto.randomUUID` needs a secure context; many CMS pages are still http:.
 */
export function uuid(): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  )
}

function validIds(value: unknown): Ids | undefined {
  if (!value || typeof value !== 'object') return undefined
  const { vid, sid, sub } = value as Record<string, unknown>
  if (!isId(sub) || (vid !== undefined && !isId(vid)) || (sid !== undefined && !isId(sid))) return undefined
  return { vid, sid, sub } as Ids
}

/**
 * vid, sid and sub per API origin and account, in an IndexedDB store of the tag's own (idb-keyval),
 * falling back to memory when IndexedDB is missing or fails (private modes, quota, blocked).
 * The database is opened on first use, never before: with consent pending nothing may touch storage.
 */
export function createIdentityStore(origin: string, account: string, persist: () => boolean): IdentityStore {
  const key = `${origin}|${account}`
  let store: UseStore | undefined
  let failed = false
  let loaded: Promise<Ids> | undefined
  let current: Ids = { sub: uuid() }

  function fail(error: unknown): undefined {
    if (!failed) console.warn('[lpTag] IndexedDB is not usable; visitor ids are kept in memory for this page.', error)
    failed = true
    return undefined
  }

  async function withStore<T>(op: (s: UseStore) => Promise<T>): Promise<T | undefined> {
    if (failed || !persist()) return undefined
    try {
      store ??= createStore('lp-tag', 'ids')
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('IndexedDB did not answer')), STORAGE_TIMEOUT_MS)
      })
      try {
        return await Promise.race([op(store), timeout])
      } finally {
        clearTimeout(timer)
      }
    } catch (error) {
      return fail(error)
    }
  }

  return {
    where: () => (failed || !persist() ? 'memory' : 'indexeddb'),
    load() {
      loaded ??= withStore((s) => get(key, s)).then((stored) => {
        const ids = validIds(stored)
        if (ids) current = ids
        return current
      })
      return loaded.then(() => ({ ...current }))
    },
    async save(ids) {
      const valid = validIds(ids)
      if (!valid) return
      current = valid
      await withStore((s) => set(key, { ...valid }, s))
    },
    async forgetSession() {
      current = { sub: current.sub }
      await withStore((s) => set(key, { ...current }, s))
    },
    async clear() {
      current = { sub: uuid() }
      loaded = Promise.resolve(current)
      // Deleting needs the database even when persisting is not allowed any more.
      if (failed) return
      try {
        store ??= createStore('lp-tag', 'ids')
        await del(key, store)
      } catch (error) {
        fail(error)
      }
    },
  }
}
