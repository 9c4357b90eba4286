import type { Hooks } from '../compat/hooks.ts'
import { asArray, copy, own } from '../lib/checks.ts'
import type { Sde } from '../types.ts'
import { acceptSdes } from './accept.ts'

/**
 * The SDEs that leave the page, after LivePerson's BEFORE_SUBMIT_SDE hook (which may redact or
 * drop them): `{data: {sdes}}` in and out, what comes back validated again. A result that cannot
 * be read whole counts as no result.
 */
export function beforeSubmit(hooks: Hooks, sdes: Sde[]): Sde[] {
  if (!sdes.length || !hooks.has_('BEFORE_SUBMIT_SDE')) return sdes
  const result = hooks.run_('BEFORE_SUBMIT_SDE', { data: { sdes: copy(sdes) } })
  try {
    return acceptSdes(asArray(own(own(result, 'data'), 'sdes'), true))
  } catch (error) {
    console.error('[lpTag] a BEFORE_SUBMIT_SDE hook gave an unreadable result; it is skipped', error)
    return sdes
  }
}
