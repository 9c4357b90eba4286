import { asArray, copy, isArray, own } from '../checks.ts'
import type { Hooks } from '../hooks.ts'
import { validateSde } from './validate.ts'
import type { Bus } from '../bus.ts'
import type { LpSdes, Sde } from '../types.ts'

/** The valid SDEs of `input` (arrays are flattened one level), as clean copies; each invalid one gets one warning. */
export function acceptSdes(input: unknown[]): Sde[] {
  const accepted: Sde[] = []
  for (const item of input)
    for (const value of isArray(item) ? item : [item]) {
      const { sde, problem } = validateSde(value)
      if (sde) accepted.push(sde)
      else console.warn(problem!.message)
    }
  return accepted
}

/**
 * The SDEs that leave the page, after LivePerson's BEFORE_SUBMIT_SDE hook (which may redact or
 * drop them): `{data: {sdes}}` in and out, what comes back validated again.
 */
export const beforeSubmit = (hooks: Hooks, sdes: Sde[]): Sde[] =>
  sdes.length ? acceptSdes(asArray(own(own(hooks.run('BEFORE_SUBMIT_SDE', { data: { sdes: copy(sdes) } }), 'data'), 'sdes'))) : sdes

/** What `lpTag.sdes.send` calls back with: whether the request that carried the SDEs was answered. */
export type Delivered = (delivered: boolean) => void

export interface SdeStore extends LpSdes {
  /** Everything held for this page view: every engagement request carries all of it. */
  all(): Sde[]
  /** Whether SDEs or a `send` callback wait for a request. */
  pending(): boolean
  /**
   * For the request about to go: the SDEs no request carried yet (they count as carried from now
   * on) and `settle`, which tells the `send` callbacks waiting on them how it went.
   */
  take(): { sdes: Sde[]; settle: Delivered }
  /** A new page view: it holds what no request carried yet, and `sdes`. */
  reset(sdes: unknown[]): void
}

/**
 * `lpTag.sdes`. `flush` hears of every accepted push and of every send, so the tag can deliver
 * them within one round trip (contract section 2). SDEs queued before load are replayed through
 * `push`.
 */
export function createSdeStore(publish: Bus['publish'], flush: () => void): SdeStore {
  let held: Sde[] = []
  let unsent: Sde[] = []
  let waiting: Delivered[] = []
  const add = (input: unknown[]) => {
    const accepted = acceptSdes(input)
    for (const sde of accepted) {
      held.push(sde)
      unsent.push(sde)
      publish('lp_sdes', 'VAR_ADDED', sde)
    }
    return accepted
  }
  return {
    push(...sdes) {
      if (add(sdes).length) flush()
      return held.length
    },
    send(sdes, callback) {
      add([sdes])
      if (typeof callback == 'function') waiting.push(callback)
      flush()
    },
    // LivePerson's `get(type)` answers undefined when none of that type is held.
    get: ((type?: string) => {
      const found = held.filter((sde) => type === undefined || sde.type === type)
      return type === undefined || found.length ? found : undefined
    }) as SdeStore['get'],
    all: () => held.slice(),
    pending: () => unsent.length + waiting.length > 0,
    take() {
      const taken = { sdes: unsent, callbacks: waiting }
      unsent = []
      waiting = []
      return {
        sdes: taken.sdes,
        settle: (delivered) => {
          for (const callback of taken.callbacks)
            try {
              callback(delivered)
            } catch (error) {
              console.error('[lpTag] an lpTag.sdes.send callback threw', error)
            }
        },
      }
    },
    reset(sdes) {
      held = unsent.slice()
      add(sdes)
    },
  }
}

/** SDEs written into the page as `<script type="application/json" data-lp-sdes>` (an object or an array). */
export function pageSdes(): unknown[] {
  const found: unknown[] = []
  for (const script of document.querySelectorAll('script[type="application/json"][data-lp-sdes]')) {
    try {
      found.push(JSON.parse(script.textContent ?? ''))
    } catch {
      console.warn('[lpTag] a <script data-lp-sdes> element is not valid JSON; its SDEs were not sent')
    }
  }
  return found
}
