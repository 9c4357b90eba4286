import { createNanoEvents } from 'nanoevents'
import { copy, own } from '../lib/checks.ts'
import type { EventCallback, FiredEvent, LpEvents, TagError } from '../types.ts'

/** `lpTag.events`, and `publish` for the tag's own events. */
export interface Bus {
  events: LpEvents
  /**
   * Publishes one of the tag's events: every listener and every `hasFired` entry gets its own
   * copy, so changing event data can never change what the tag does next (a `READY` config's
   * origin, an `ENGAGEMENT` result's ids or validity). A page's own events are passed as given.
   */
  publish(appName: string, eventName: string, data: unknown): void
}

/** A history entry; `copied_` marks the tag's own events, handed out as copies. */
interface Fired extends FiredEvent {
  copied_?: boolean
}

interface Binding {
  appName: string
  eventName: string
  func: EventCallback
  off: () => void
}

/** History entries kept for `hasFired`: enough to replay a page's early events, bounded for long-lived SPAs. */
const HISTORY = 1000


/** The event's data as a listener or `hasFired` gets it: the tag's own, a new copy each time. */
const given = (event: Fired) => (event.copied_ ? copy(event.data) : event.data)

const matches = (appName: unknown, eventName: unknown, event: FiredEvent) =>
  (appName === '*' || appName === event.appName) && (eventName === '*' || eventName === event.eventName)

/**
 * A binding's options, from `bind(appName, eventName, func)` or `bind({...})`; undefined when the
 * names are not strings or `func` not a function. Own properties only: a polluted `triggerOnce` or
 * `async` must not change a listener.
 */
function bindOptions(app: unknown, name: unknown, fn: unknown) {
  const options = typeof app === 'string' ? { appName: app, eventName: name, func: fn } : app
  const option = (key: string) => own(options, key)
  const named = option('appName')
  const appName = named === undefined ? '*' : named
  const eventName = option('eventName')
  const func = option('func')
  if (typeof appName !== 'string' || typeof eventName !== 'string' || typeof func !== 'function') return
  return { appName, eventName, func: func as EventCallback, context: option('context'), triggerOnce: option('triggerOnce'), async: option('async') }
}

/**
 * Creates `lpTag.events`.
 *
 * Every binding is one nanoevents listener on a single key, so nanoevents keeps them in bind order
 * across wildcard and exact bindings, and its `emit` (which reads the length before looping) does
 * not call listeners bound during that emit. Its unsubscribe does not shorten an emit already
 * running, so a listener also checks it is still in `bindings` before running.
 *
 * Garbage never throws: `bind` returns `''` and binds nothing when `eventName` or a given `appName`
 * is not a string or `func` is not a function; `unbind` of an unknown id, of a non-object or of an
 * object with no field given returns false (`unbind({})` does not remove everything); `trigger`
 * with non-string names returns false and records nothing; `hasFired` with non-strings returns `[]`.
 * `bind` and `unbind` read caller objects inside `try`, so even a throwing getter or a revoked
 * proxy only makes them return `''`/false.
 *
 * An `async` call is scheduled at trigger time and runs even if unbound meanwhile (like a
 * `triggerOnce` one, which is already unbound then).
 */
export function createBus(): Bus {
  const emitter = createNanoEvents<{ t: (event: Fired, hits: number[]) => void }>()
  const bindings = new Map<string, Binding>()
  const history: Fired[] = []
  let lastId = 0

  const emit = (appName: unknown, eventName: unknown, data: unknown, copied?: boolean) => {
    if (typeof appName !== 'string' || typeof eventName !== 'string') return false
    const event = { appName, eventName, data, copied_: copied }
    const hits: number[] = []
    if (history.push(event) > HISTORY) history.shift()
    emitter.emit('t', event, hits)
    return hits.length > 0
  }

  /** Runs one listener: what it throws is logged, never passed on to the page or other listeners. */
  const call = (func: EventCallback, context: unknown, event: Fired) => {
    try {
      func.call(context, given(event), { appName: event.appName, eventName: event.eventName })
    } catch (error) {
      console.error(`[lpTag] listener for ${event.appName}/${event.eventName} threw`, error)
    }
  }

  const remove = (id: string) => {
    const binding = bindings.get(id)
    if (binding) {
      bindings.delete(id)
      binding.off()
    }
    return !!binding
  }

  const events: LpEvents = {
    bind(app: unknown, name?: unknown, fn?: unknown) {
      try {
        const options = bindOptions(app, name, fn)
        if (!options) return ''
        const { appName, eventName, func, context, triggerOnce, async } = options
        const id = '' + ++lastId
        bindings.set(id, {
          appName,
          eventName,
          func,
          off: emitter.on('t', (event, hits) => {
            if (!bindings.has(id) || !matches(appName, eventName, event)) return
            hits.push(1)
            if (triggerOnce) remove(id)
            const run = () => call(func, context, event)
            if (async) setTimeout(run, 0)
            else run()
          }),
        })
        return id
      } catch {
        return ''
      }
    },

    unbind(idOrOptions: unknown) {
      if (typeof idOrOptions === 'string') return remove(idOrOptions)
      let found = false
      try {
        const wanted = (binding: Binding, key: 'appName' | 'eventName' | 'func') => (own(idOrOptions, key) ?? binding[key]) === binding[key]
        if (['appName', 'eventName', 'func'].some((key) => own(idOrOptions, key) != null))
          for (const [id, binding] of bindings)
            if (wanted(binding, 'appName') && wanted(binding, 'eventName') && wanted(binding, 'func')) found = remove(id)
      } catch {}
      return found
    },

    trigger: (appName: unknown, eventName: unknown, data?: unknown) => emit(appName, eventName, data),

    hasFired: (appName: unknown, eventName: unknown) =>
      history.filter((event) => matches(appName, eventName, event)).map(({ appName, eventName, ...event }) => ({ appName, eventName, data: given(event as Fired) })),
  }
  return { events, publish: (appName, eventName, data) => void emit(appName, eventName, copy(data), true) }
}

/** Publishes `LP_TAG`/`ERROR` and logs it: the one console line an integrator sees. */
export function reportError(publish: Bus['publish'], error: TagError): void {
  console.error(`[lpTag] ${error.message}`)
  publish('LP_TAG', 'ERROR', error)
}
