import type { LpEvents, LpSdes, Sde } from './types.ts'

/** The ten send-format SDE types (reference: monitoring-api-notes). */
export const SDE_TYPES = ['cart', 'purchase', 'prodView', 'ctmrinfo', 'mrktInfo', 'personal', 'lead', 'service', 'error', 'searchInfo']

/**
 * Whether an SDE may be sent; warns once naming what is wrong. Field-level rules for each type
 * come with the integration work; today the shape and the type are checked.
 */
export function checkSde(value: unknown): value is Sde {
  let problem = ''
  let type = '?'
  if (!value || typeof value !== 'object' || Array.isArray(value)) problem = 'not an object'
  else {
    type = String((value as Sde).type)
    if (!SDE_TYPES.includes(type)) problem = `type must be one of ${SDE_TYPES.join(' ')}`
    else {
      try {
        if (JSON.stringify(value).length > 50_000) problem = 'over 50,000 characters'
      } catch {
        problem = 'not JSON'
      }
    }
  }
  if (problem) console.warn(`[lpTag] SDE ${type} dropped: ${problem}`)
  return !problem
}

export interface SdeStore extends LpSdes {
  /** Everything held for this page view, for the request body. */
  all(): Sde[]
  /** A new page view holds only `sdes`. */
  reset(sdes?: unknown[]): void
}

/** `lpTag.sdes`: SDEs queued before load are replayed through `push`. */
export function createSdeStore(bus: LpEvents, send: () => void): SdeStore {
  let held: Sde[] = []
  const add = (input: unknown[]) => {
    let added = 0
    for (const sde of input.flat()) {
      if (!checkSde(sde)) continue
      held.push(sde)
      added++
      bus.trigger('lp_sdes', 'VAR_ADDED', sde)
    }
    return added
  }
  return {
    push: (...sdes) => (add(sdes), held.length),
    send(sdes) {
      if (add([sdes])) send()
    },
    get: (type) => held.filter((sde) => type === undefined || sde.type === type),
    all: () => held.slice(),
    reset(sdes = []) {
      held = []
      add(sdes)
    },
  }
}
