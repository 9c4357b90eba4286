/**
 * The SDEs pushed after load (contract section 2): held for the page, the ones no request carried
 * yet, and the `lpTag.sdes.send` callbacks waiting for the request that carries them.
 */
import type { Sde } from '../types.ts'
import type { Settle, State } from './state.ts'

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
