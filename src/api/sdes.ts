import type { Bus } from '../events/bus.ts'
import { push, type State } from '../pageview/machine.ts'
import { acceptSdes } from '../sdes/accept.ts'
import type { LpSdes, Sde } from '../types.ts'

/** Valid SDEs of a page's input, each announced as `lp_sdes`/`VAR_ADDED`; invalid ones warned about. */
export const sdeIntake =
  (publish: Bus['publish_']) =>
  (input: unknown[]): Sde[] => {
    const accepted = acceptSdes(input)
    for (const sde of accepted) publish('lp_sdes', 'VAR_ADDED', sde)
    return accepted
  }

/**
 * `lpTag.sdes`: `push` and `send` hand valid SDEs to the page view, which delivers them within one
 * round trip (contract section 2); `get` answers at once from what it holds.
 */
export function sdesApi(pv: State, accept: (input: unknown[]) => Sde[]): LpSdes {
  return {
    push(...sdes) {
      push(pv, accept(sdes))
      return pv.held_.length
    },
    send(sdes, callback) {
      // LivePerson documents `send(undefined, callback)`: nothing to add, the callback still waits.
      push(
        pv,
        sdes === undefined ? [] : accept([sdes]),
        typeof callback === 'function'
          ? (delivered) => {
              try {
                callback(delivered!)
              } catch (error) {
                console.error('[lpTag] an lpTag.sdes.send callback threw', error)
              }
            }
          : undefined,
      )
    },
    // LivePerson's `get(type)` answers undefined when none of that type is held.
    get: ((type?: string) => {
      const found = pv.held_.filter((sde) => type === undefined || sde.type === type)
      return type === undefined || found.length ? found : undefined
    }) as LpSdes['get'],
  }
}
