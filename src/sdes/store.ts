import { asArray, copy, isArray, own } from '../lib/checks.ts'
import type { Hooks } from '../compat/hooks.ts'
import { validateSde } from './validate.ts'
import type { Bus } from '../events/bus.ts'
import type { LpSdes, Sde } from '../types.ts'

/** The valid SDEs of `input` (arrays are flattened one level), as clean copies; each invalid one gets one warning. */
export function acceptSdes(input: unknown[]): Sde[] {
  const accepted: Sde[] = []
  for (const item of input)
    for (const value of isArray(item) ? asArray(item) : [item]) {
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
export function beforeSubmit(hooks: Hooks, sdes: Sde[]): Sde[] {
  if (!sdes.length) return sdes
  const result = hooks.run('BEFORE_SUBMIT_SDE', { data: { sdes: copy(sdes) } })
  try {
    return acceptSdes(asArray(own(own(result, 'data'), 'sdes'), true))
  } catch (error) {
    // A result that cannot even be read (a throwing getter) counts as no result.
    console.error('[lpTag] a BEFORE_SUBMIT_SDE hook gave an unreadable result; it is skipped', error)
    return sdes
  }
}

/** What `lpTag.sdes.send` calls back with: whether the request that carried the SDEs was answered. */
export type Delivered = (delivered: boolean) => void

/**
 * How the request that carried SDEs ended: delivered (`true`), refused for good (`false`, a 4xx),
 * or neither (`undefined`: replaced, or no answer after every retry), when they wait for the next.
 */
export type Settle = (delivered: boolean | undefined) => void

export interface SdeStore extends LpSdes {
  /** Whether SDEs or a `send` callback wait for a request. */
  pending(): boolean
  /**
   * For the request about to go: the SDEs no request carried yet, each sent once to the session
   * (the Monitoring API keeps them: sent twice, a purchase counts twice), and `settle`, which tells
   * the `send` callbacks waiting on them how it went, or puts both back to wait for the next.
   */
  take(): { sdes: Sde[]; settle: Settle }
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
      // LivePerson documents `send(undefined, callback)`: nothing to add, the callback still waits.
      if (sdes !== undefined) add([sdes])
      if (typeof callback === 'function') waiting.push(callback)
      flush()
    },
    // LivePerson's `get(type)` answers undefined when none of that type is held.
    get: ((type?: string) => {
      const found = held.filter((sde) => type === undefined || sde.type === type)
      return type === undefined || found.length ? found : undefined
    }) as SdeStore['get'],
    pending: () => unsent.length + waiting.length > 0,
    take() {
      const sdes = unsent
      const callbacks = waiting
      unsent = []
      waiting = []
      return {
        sdes,
        settle(delivered) {
          // Not answered: they go with the next request (LivePerson calls back only on a success).
          if (delivered === undefined) return void (unsent.unshift(...sdes), waiting.unshift(...callbacks))
          for (const callback of callbacks)
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
