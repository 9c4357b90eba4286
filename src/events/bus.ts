import { createNanoEvents } from 'nanoevents'
import { copy, own } from '../lib/checks.ts'
import type { EventCallback, FiredEvent, LpEvents, TagError } from '../types.ts'

/** `lpTag.events`, and `publish` for the tag's own events. */
export interface Bus {
  events: LpEvents
  /**
   * Publishes one of the tag's events: every listener and every `hasFired` entry gets its own
   * copy, so changing event data can never change what the tag does next. A page's own events
   * (`trigger`) are passed as given.
   */
  publish(appName: string, eventName: string, data: unknown): void
}

/** A history entry; `copied_` marks the tag's own events, handed out as copies. */
interface Fired extends FiredEvent {
  copied_?: boolean
}

/** History entries kept for `hasFired`: enough to replay a page's early events, bounded for long-lived SPAs. */
const HISTORY = 1000

/** The event's data as a listener or `hasFired` gets it: the tag's own, a new copy each time. */
const given = (event: Fired) => (event.copied_ ? copy(event.data) : event.data)

const matches = (appName: unknown, eventName: unknown, event: FiredEvent) =>
  (appName === '*' || appName === event.appName) && (eventName === '*' || eventName === event.eventName)

/**
 * Creates `lpTag.events`.
 *
 * Every binding is one nanoevents listener on a single key, so nanoevents keeps them in bind order
 * across wildcard and exact bindings, and its `emit` (which reads the length before looping) does
 * not call listeners bound during that emit. Its unsubscribe does not shorten an emit already
 * running, so a listener also checks it is still bound before running.
 *
 * Garbage never throws: `bind` returns `''` when `eventName` or a given `appName` is not a string
 * or `func` not a function (options read as own properties: a polluted `triggerOnce` changes no
 * listener); `unbind` of an unknown id, of a non-object or of an object with no field given
 * returns false; `trigger` with non-string names returns false and records nothing; `hasFired`
 * with non-strings returns `[]`. An `async` call is scheduled at trigger time and runs even if
 * unbound meanwhile (like a `triggerOnce` one, which is already unbound then).
 */
export function createBus(): Bus {
  const emitter = createNanoEvents<{ t: (event: Fired, hits: number[]) => void }>()
  const bindings = new Map<string, [appName: string, eventName: string, func: EventCallback, off: () => void]>()
  const history: Fired[] = []
  let lastId = 0

  const emit = (appName: unknown, eventName: unknown, data: unknown, copied?: boolean) => {
    if (typeof appName !== 'string' || typeof eventName !== 'string') return false
    const event: Fired = { appName, eventName, data, copied_: copied }
    const hits: number[] = []
    if (history.push(event) > HISTORY) history.shift()
    emitter.emit('t', event, hits)
    return hits.length > 0
  }

  const remove = (id: string) => {
    const binding = bindings.get(id)
    binding?.[3]()
    return bindings.delete(id)
  }

  const events: LpEvents = {
    bind(app: unknown, name?: unknown, fn?: unknown) {
      try {
        const options = typeof app === 'string' ? { appName: app, eventName: name, func: fn } : app
        const [named, eventName, func, triggerOnce, async, context] = ['appName', 'eventName', 'func', 'triggerOnce', 'async', 'context'].map((key) => own(options, key))
        const appName = named === undefined ? '*' : named
        if (typeof appName !== 'string' || typeof eventName !== 'string' || typeof func !== 'function') return ''
        const id = '' + ++lastId
        const off = emitter.on('t', (event, hits) => {
          if (!bindings.has(id) || !matches(appName, eventName, event)) return
          hits.push(1)
          if (triggerOnce) remove(id)
          const run = () => {
            // What a listener throws is logged, never passed on to the page or other listeners.
            try {
              func.call(context, given(event), { appName: event.appName, eventName: event.eventName })
            } catch (error) {
              console.error(`[lpTag] listener for ${event.appName}/${event.eventName} threw`, error)
            }
          }
          if (async) setTimeout(run)
          else run()
        })
        bindings.set(id, [appName, eventName, func as EventCallback, off])
        return id
      } catch {
        return ''
      }
    },

    unbind(idOrOptions: unknown) {
      if (typeof idOrOptions === 'string') return remove(idOrOptions)
      let found = false
      try {
        const wanted = ['appName', 'eventName', 'func'].map((key) => own(idOrOptions, key))
        if (wanted.some((value) => value != null))
          for (const [id, binding] of bindings) if (wanted.every((value, at) => value == null || value === binding[at])) found = remove(id)
      } catch {}
      return found
    },

    trigger: (appName: unknown, eventName: unknown, data?: unknown) => emit(appName, eventName, data),

    hasFired: (appName: unknown, eventName: unknown) =>
      history.filter((event) => matches(appName, eventName, event)).map((event) => ({ appName: event.appName, eventName: event.eventName, data: given(event) })),
  }
  return { events, publish: (appName, eventName, data) => void emit(appName, eventName, copy(data), true) }
}

/** Publishes `LP_TAG`/`ERROR` and logs it: the one console line an integrator sees. */
export function reportError(publish: Bus['publish'], error: TagError): void {
  console.error(`[lpTag] ${error.message}`)
  publish('LP_TAG', 'ERROR', error)
}
