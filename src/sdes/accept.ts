import { asArray, isArray } from '../lib/checks.ts'
import type { Sde } from '../types.ts'
import { validateSde } from './validate.ts'

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
