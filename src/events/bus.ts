import { createNanoEvents } from 'nanoevents'
import { copy, own } from '../lib/checks.ts'
import type { EventCallback, FiredEvent, LpEvents, TagError } from '../types.ts'

/** `lpTag.events`, and `publish_` for the tag's own events. */
export interface Bus {
  events_: LpEvents
  /**
   * Publishes one of the tag's events: every listener and every `hasFired` entry gets its own
   * copy, so changing event data can never change what the tag does next. A page's own events
   * (`trigger`) are passed as given.
   */
  publish_(appName: string, eventName: string, data: unknown): void
}

/** A history entry; `copied_` marks the tag's own events, handed out as copies. */
type Fired = FiredEvent & { copied_?: boolean }

/** A binding: its app and event names and function (as `unbind({appName, eventName, func})` matches them), and how to end it. */
type Binding = [appName: string, eventName: string, func: EventCallback, off: () => void]

/** History entries kept for `hasFired`: enough to replay a page's early events, bounded for long-lived SPAs. */
const HISTORY = 1000

/** The event as a listener or `hasFired` gets it: the tag's own data, a new copy each time. */
const given = (event: Fired): FiredEvent => ({ appName: event.appName, eventName: event.eventName, data: event.copied_ ? copy(event.data) : event.data })

const matches = (appName: unknown, eventName: unknown, event: FiredEvent) => (appName === '*' || appName === event.appName) && (eventName === '*' || eventName === event.eventName)

/**
 * Creates `lpTag.events`.
 *
 * Every binding is one nanoevents listener on a single key, so nanoevents keeps them in bind order
 * across wildcard and exact bindings, and its `emit` (which reads the length before looping) does
 * not call listeners bound during that emit. Its unsubscribe does not shorten an emit already
 * running, so a listener also checks it is still bound before running.
 *
 * Garbage never throws: `bind` returns `''` when `eventName` or a given `appName` is not a string
 * or `func` not a function (options read once, as own properties: a polluted `triggerOnce` changes
 * no listener); `unbind` of an unknown id, of a non-object or of an object with no field given
 * returns false; `trigger` with non-string names returns false and records nothing; `hasFired`
 * with non-strings returns `[]`. An `async` call is scheduled at trigger time and runs even if
 * unbound meanwhile (like a `triggerOnce` one, which is already unbound then).
 */
export function createBus(): Bus {
  const emitter = createNanoEvents<{ t(event: Fired, hits: number[]): void }>()
  const bindings = new Map<string, Binding>()
  const history: Fired[] = []
  let lastId = 0

  const emit = (appName: unknown, eventName: unknown, data: unknown, copied?: boolean) => {
    const hits: number[] = []
    if (typeof appName !== 'string' || typeof eventName !== 'string') return false
    const event: Fired = { appName, eventName, data, copied_: copied }
    if (history.push(event) > HISTORY) history.shift()
    emitter.emit('t', event, hits)
    return hits.length > 0
  }

  const events: LpEvents = {
    bind(app: unknown, name?: unknown, fn?: unknown) {
      const [appName = '*', eventName, func, triggerOnce, async, context] = ['appName', 'eventName', 'func', 'triggerOnce', 'async', 'context'].map((key) =>
        own(typeof app === 'string' ? { appName: app, eventName: name, func: fn } : app, key),
      )
      if (typeof appName !== 'string' || typeof eventName !== 'string' || typeof func !== 'function') return ''
      const id = '' + ++lastId
      const off = emitter.on('t', (event, hits) => {
        if (!bindings.has(id) || !matches(appName, eventName, event)) return
        hits.push(1)
        if (triggerOnce) events.unbind(id)
        const run = () => {
          // What a listener throws is logged, never passed on to the page or other listeners.
          try {
            const { data, ...info } = given(event)
            func.call(context, data, info)
          } catch (error) {
            console.error(`[lpTag] listener for ${event.appName}/${event.eventName} threw`, error)
          }
        }
        if (async) setTimeout(run)
        else run()
      })
      bindings.set(id, [appName, eventName, func, off])
      return id
    },

    unbind(idOrOptions: unknown) {
      const wanted = ['appName', 'eventName', 'func'].map((key) => own(idOrOptions, key))
      let found = false
      for (const [id, binding] of bindings)
        if (id === idOrOptions || (wanted.some((value) => value != null) && wanted.every((value, at) => value == null || value === binding[at]))) {
          bindings.delete(id)
          binding[3]()
          found = true
        }
      return found
    },

    trigger: (appName: unknown, eventName: unknown, data?: unknown) => emit(appName, eventName, data),

    hasFired: (appName: unknown, eventName: unknown) => history.filter((event) => matches(appName, eventName, event)).map(given),
  }
  return { events_: events, publish_: (appName, eventName, data) => void emit(appName, eventName, copy(data), true) }
}

/** Publishes `LP_TAG`/`ERROR` and logs it: the one console line an integrator sees. */
export function reportError(publish: Bus['publish_'], error: TagError): void {
  console.error(`[lpTag] ${error.message}`)
  publish('LP_TAG', 'ERROR', error)
}
