import { isArray } from '../checks.ts'
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

export interface SdeStore extends LpSdes {
  /** Everything held for this page view, for the request body. */
  all(): Sde[]
  /** A new page view holds only `sdes`. */
  reset(sdes?: unknown[]): void
}

/** `lpTag.sdes`: SDEs queued before load are replayed through `push`. */
export function createSdeStore(publish: Bus['publish'], send: (sdes: Sde[]) => void): SdeStore {
  let held: Sde[] = []
  const add = (input: unknown[]) => {
    const accepted = acceptSdes(input)
    for (const sde of accepted) {
      held.push(sde)
      publish('lp_sdes', 'VAR_ADDED', sde)
    }
    return accepted
  }
  return {
    push: (...sdes) => (add(sdes), held.length),
    send(sdes) {
      const accepted = add([sdes])
      if (accepted.length) send(accepted)
    },
    get: (type) => held.filter((sde) => type === undefined || sde.type === type),
    all: () => held.slice(),
    reset(sdes = []) {
      held = []
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
