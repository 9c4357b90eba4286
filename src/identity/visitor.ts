import { promisifyRequest } from 'idb-keyval'
import { dict, isId, own } from '../lib/checks.ts'
import type { Ids } from '../pageview/state.ts'

const DATABASE = 'lp-tag'
// Stores time out rather than hang: an `open` blocked by another tab's connection never settles,
// and Safari 14.6 lost IndexedDB requests outright (https://bugs.webkit.org/show_bug.cgi?id=226547).
const STORAGE_TIMEOUT_MS = 2000

/**
 * A random v4 UUID (the reference recommends one per visitor as the unauthenticated `sub`).
 * `crypto.randomUUID` needs a secure context; many CMS pages are still http:.
 */
const uuid = () => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16))

/** A stored record's ids, own properties only: a polluted Object.prototype must not fill in a missing one. */
function validIds(value: unknown): Ids | undefined {
  const [vid, sid, sub] = ['vid', 'sid', 'sub'].map((key) => own(value, key))
  return isId(sub) && (vid === undefined || isId(vid)) && (sid === undefined || isId(sid)) ? dict({ vid, sid, sub }) : undefined
}

/** Erasures so far: an open requested before one must not leave the database it creates behind. */
let erasures = 0
/** What `open` rejects with when an erasure came meanwhile: not a storage failure. */
const ERASED = {}

/** Deletes everything the tag stored on this site, without creating the database where there is none. */
export function eraseStored(): void {
  erasures++
  try {
    indexedDB.deleteDatabase(DATABASE)
  } catch {}
}

export type IdStore = ReturnType<typeof createIdStore>

/**
 * vid, sid and sub per API origin and account, in an IndexedDB store of the tag's own (idb-keyval's
 * `promisifyRequest`), or in memory when IndexedDB is missing or fails (private modes, quota,
 * blocked). The database is opened on first use, never before: with consent pending nothing may
 * touch storage. Its connection closes as soon as another one asks for a version change or a
 * delete: the page's `indexedDB.deleteDatabase('lp-tag')`, another tab's upgrade and `eraseStored()`
 * are never blocked by it; the next use opens it again.
 */
export function createIdStore(key: string) {
  let opened: Promise<IDBDatabase> | undefined
  let failed = false
  let stored: Promise<Ids | undefined> | undefined

  const open = (asked: number) => {
    const request = indexedDB.open(DATABASE)
    request.onupgradeneeded = () => request.result.createObjectStore('ids')
    return promisifyRequest(request).then((connection) => {
      // Consent withdrawn since it was asked for (granted and withdrawn in one task): the database
      // this open created goes too.
      if (asked !== erasures) {
        connection.close()
        eraseStored()
        throw ERASED
      }
      // `onclose`: Safari (and Chromium after a sleep) closes a connection by itself, after which
      // every transaction throws (https://github.com/jakearchibald/idb-keyval/issues/165).
      connection.onversionchange = connection.onclose = () => {
        connection.close()
        opened = undefined
      }
      return connection
    })
  }

  /** `op` on the store, or undefined once IndexedDB failed (one warning for the page). */
  const use = <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>, asked = erasures): Promise<T | undefined> =>
    failed
      ? Promise.resolve(undefined)
      : Promise.race([
          // `indexedDB` itself may throw (a sandboxed document): inside the promise, it is a failure like any other.
          Promise.resolve().then(() => (opened ??= open(asked))).then((db) => promisifyRequest(op(db.transaction('ids', mode).objectStore('ids')))),
          new Promise<never>((_, reject) => setTimeout(reject, STORAGE_TIMEOUT_MS, 'IndexedDB did not answer')),
        ]).catch((error: unknown) => {
          opened = undefined
          if (error === ERASED) return undefined
          if (!failed) console.warn('[lpTag] IndexedDB is not usable; visitor ids are kept in memory for this page.', error)
          failed = true
          return undefined
        })

  return {
    key_: key,
    /** The stored ids (read once) and a fresh set to use when there are none. */
    read_: (): Promise<[Ids | undefined, Ids]> => (stored ??= use('readonly', (store) => store.get(key)).then(validIds)).then((ids) => [ids, dict({ sub: uuid() })]),
    write_: (ids: Ids) => void use('readwrite', (store) => store.put({ ...ids }, key)),
    /** Erased: what was read before is gone (the database is deleted by `eraseStored`). */
    forget_: () => void (stored = Promise.resolve(undefined)),
    where_: () => (failed ? 'memory' : 'indexeddb'),
  }
}
