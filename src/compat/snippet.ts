import { asArray, own, put } from '../lib/checks.ts'

/**
 * LivePerson's standard snippet, on pages moving to this tag, may run before it or after it.
 *
 * Before: `window.lpTag` is its stub. Its `events.bind`/`trigger` only queued closures in `_defB`
 * and `_defT` (and `defer` others in `_defL`), each calling `lpTag.events.bind/trigger` when run:
 * they are run once this tag's API is in place, binds first, so that a listener bound through the
 * stub hears a trigger queued after it. The stub's `load`/`_load` would fetch LivePerson's own
 * tag.js on a timer: they become no-ops before it fires (when this tag runs first, as a
 * synchronous script after the snippet does); `init` and `defer` run nothing more but the callback.
 *
 * After: the snippet only counts another tag when `_tagCount` is set; otherwise it replaces
 * `window.lpTag` with a new stub, and the page loses this tag's API.
 */
export function adoptSnippet(lpTag: Record<string, unknown>): { binds_(): void; rest_(): void } {
  const queues = ['_defB', '_defT', '_defL'].map((name) => {
    const queue = asArray(own(lpTag, name))
    if (queue.length) put(lpTag, name, [])
    return queue
  })
  put(lpTag, '_tagCount', own(lpTag, '_tagCount') ?? 1)
  for (const name of ['load', '_load', 'init']) put(lpTag, name, () => {})
  put(lpTag, 'defer', run)
  const replay = (queue: unknown[]) => queue.forEach(run)
  // Binds before anything the tag publishes at start (VAR_ADDED for queued SDEs), then the rest.
  return { binds_: () => replay(queues[0]!), rest_: () => (replay(queues[1]!), replay(queues[2]!)) }
}

function run(deferred: unknown) {
  try {
    if (typeof deferred === 'function') deferred()
  } catch (error) {
    console.error('[lpTag] a call queued by LivePerson\'s snippet threw', error)
  }
}
