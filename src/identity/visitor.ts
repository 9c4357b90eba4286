import { promisifyRequest, type UseStore } from 'idb-keyval'
import { isId, own } from '../lib/checks.ts'

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
  /** Forget everything, here and stored (consent withdrawn, "forget visitor"). */
  clear(): void
  /** Where the ids live now, for the debug panel. */
  where(): 'indexeddb' | 'memory'
}

const DATABASE = 'lp-tag'
// Stores time out rather than hang: an `open` blocked by another tab's connection never settles,
// and Safari 14.6 lost IndexedDB requests outright (https://bugs.webkit.org/show_bug.cgi?id=226547).
const STORAGE_TIMEOUT_MS = 2000

/**
 * A random v4 UUID (the reference recommends one per visitor as the unauthenticated `sub`).
 * `crypto.randomUUID` needs a secure context; many CMS pages are still http:.
 */
function uuid(): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  )
}

/** A stored record's ids, own properties only: a polluted Object.prototype must not fill in a missing one. */
function validIds(value: unknown): Ids | undefined {
  const vid = own(value, 'vid')
  const sid = own(value, 'sid')
  const sub = own(value, 'sub')
  if (!isId(sub) || (vid !== undefined && !isId(vid)) || (sid !== undefined && !isId(sid))) return undefined
  return { vid, sid, sub }
}

/** A new visitor: every field own, so that a missing vid is never read from a polluted Object.prototype. */
const fresh = (sub = uuid()): Ids => ({ vid: undefined, sid: undefined, sub })

/**
 * idb-keyval's store, opened on first use, whose connection closes as soon as another one asks
 * for a version change or a delete: the page's `indexedDB.deleteDatabase('lp-tag')`, another
 * tab's upgrade and `eraseStored()` are never blocked by it. The next use opens it again.
 */
function tagStore(): UseStore {
  let opened: Promise<IDBDatabase> | undefined
  const open = () => {
    const request = indexedDB.open(DATABASE)
    request.onupgradeneeded = () => request.result.createObjectStore('ids')
    const db = promisifyRequest(request)
    db.then(
      (connection) => {
        // `onclose`: Safari (and Chromium after a sleep) closes a connection by itself, after which
        // every transaction throws (https://github.com/jakearchibald/idb-keyval/issues/165,
        // https://bugs.chromium.org/p/chromium/issues/detail?id=1085724).
        connection.onversionchange = connection.onclose = () => {
          connection.close()
          opened = undefined
        }
      },
      () => (opened = undefined),
    )
    return db
  }
  return (mode, callback) => (opened ??= open()).then((db) => callback(db.transaction('ids', mode).objectStore('ids')))
}

/** Deletes everything the tag stored on this site, without creating the database where there is none. */
export function eraseStored(): void {
  try {
    indexedDB.deleteDatabase(DATABASE)
  } catch {}
}

/**
 * vid, sid and sub per API origin and account, in an IndexedDB store of the tag's own (idb-keyval),
 * falling back to memory when IndexedDB is missing or fails (private modes, quota, blocked).
 * The database is opened on first use, never before: with consent pending nothing may touch storage.
 */
export function createIdentityStore(origin: string, account: string, persist: () => boolean): IdentityStore {
  const key = `${origin}|${account}`
  const store = tagStore()
  let failed = false
  let loaded: Promise<void> | undefined
  let current = fresh()
  // Counts `clear()` calls: a read begun before one must not bring the erased ids back.
  let erased = 0

  function fail(error: unknown): undefined {
    if (!failed) console.warn('[lpTag] IndexedDB is not usable; visitor ids are kept in memory for this page.', error)
    failed = true
    return undefined
  }

  // idb-keyval's `get`/`set` would also bring in its default store: the custom store is used directly.
  const write = () => withStore((s) => s('readwrite', (ids) => (ids.put({ ...current }, key), promisifyRequest(ids.transaction))))

  async function withStore<T>(op: (s: UseStore) => Promise<T>): Promise<T | undefined> {
    if (failed || !persist()) return undefined
    try {
      // Once `op` settled, the time-out's rejection goes to a race already decided: nobody sees it.
      return await Promise.race([op(store), new Promise<never>((_, reject) => setTimeout(reject, STORAGE_TIMEOUT_MS, 'IndexedDB did not answer'))])
    } catch (error) {
      return fail(error)
    }
  }

  return {
    where: () => (failed || !persist() ? 'memory' : 'indexeddb'),
    load() {
      const era = erased
      // Read once, and only once storage may be read: a look while consent is pending (the debug
      // panel's) must not stand for the read that consent allows later.
      if (persist())
        loaded ??= withStore((s) => s('readonly', (ids) => promisifyRequest(ids.get(key)))).then((stored) => {
          const ids = validIds(stored)
          if (ids && era === erased) current = ids
        })
      return (loaded ?? Promise.resolve()).then(() => ({ ...current }))
    },
    async save(ids) {
      const valid = validIds(ids)
      if (!valid) return
      current = valid
      await write()
    },
    async forgetSession() {
      current = fresh(current.sub)
      await write()
    },
    clear() {
      erased++
      current = fresh()
      loaded = Promise.resolve()
      // Whatever the state of storage here (never opened, failed, a write in flight): a write
      // already under way completes first, then the delete takes it too.
      eraseStored()
    },
  }
}
