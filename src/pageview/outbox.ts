/**
 * The SDEs pushed after load (contract section 2): held for the page, the ones no request carried
 * yet, and the `lpTag.sdes.send` callbacks waiting for the request that carries them.
 */
import type { Sde } from '../types.ts'
import type { Settle, State } from './state.ts'

/** Valid SDEs pushed: held for the page, waiting for a request; `done` hears how that request ended. */
export function push(s: State, sdes: Sde[], done?: Settle): void {
  s.held_.push(...sdes)
  s.unsent_.push(...sdes)
  if (done) s.callbacks_.push(done)
}

/** Whether SDEs or a `send` callback wait for a request. */
export const waiting = (s: State): boolean => !!(s.unsent_.length || s.callbacks_.length)

/**
 * For the request about to go: the SDEs no request carried yet (each goes to the session once:
 * sent twice, a purchase counts twice), and `settle`, which tells the callbacks waiting on them how
 * that request ended, once; when it was not answered, both go back to wait for the next request
 * (LivePerson calls back only when answered).
 */
export function take(s: State): [Sde[], Settle] {
  const sdes = s.unsent_
  let callbacks: Settle[] | undefined = s.callbacks_
  s.unsent_ = []
  s.callbacks_ = []
  return [
    sdes,
    (delivered) => {
      const those = callbacks
      callbacks = undefined
      if (!those) return
      if (delivered === undefined) return void (s.unsent_.unshift(...sdes), s.callbacks_.unshift(...those))
      for (const callback of those) callback(delivered)
    },
  ]
}

/** A new page view holds what no request carried yet (a purchase pushed just before navigating still goes), and `sdes`. */
export function reset(s: State, sdes: Sde[]): void {
  s.held_ = [...s.unsent_]
  push(s, sdes)
}
