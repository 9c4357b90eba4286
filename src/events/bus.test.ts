import { test, expect } from '@playwright/test'
import { createBus } from './bus.ts'
import type { EventInfo } from '../types.ts'

/** Lets `setTimeout(…, 0)` callbacks scheduled so far run. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5))

/** Replaces console.error for one test body, recording its calls. */
async function withConsoleError(body: (calls: unknown[][]) => void | Promise<void>) {
  const original = console.error
  const calls: unknown[][] = []
  console.error = (...args: unknown[]) => void calls.push(args)
  try {
    await body(calls)
  } finally {
    console.error = original
  }
}

test('positional bind calls func with data and {appName, eventName}, returns unique ids', () => {
  const bus = createBus().events_
  const calls: [unknown, EventInfo][] = []
  const a = bus.bind('APP', 'EV', (data, info) => void calls.push([data, info]))
  const b = bus.bind('APP', 'EV', () => {})
  expect(typeof a).toBe('string')
  expect(a).not.toBe('')
  expect(b).not.toBe(a)
  bus.trigger('APP', 'EV', { x: 1 })
  bus.trigger('APP', 'OTHER', 2)
  bus.trigger('OTHER', 'EV', 3)
  expect(calls).toEqual([[{ x: 1 }, { appName: 'APP', eventName: 'EV' }]])
})

test('object bind: appName defaults to "*", context is this', () => {
  const bus = createBus().events_
  const context = { name: 'ctx' }
  const seen: [unknown, string][] = []
  const id = bus.bind({
    eventName: 'EV',
    context,
    func(this: unknown, _data: unknown, info: EventInfo) {
      seen.push([this, info.appName])
    },
  })
  expect(id).not.toBe('')
  bus.trigger('A', 'EV')
  bus.trigger('B', 'EV')
  bus.trigger('A', 'NOPE')
  expect(seen).toEqual([
    [context, 'A'],
    [context, 'B'],
  ])
})

test('"*" matches any app, any event, or both', () => {
  const bus = createBus().events_
  const log: string[] = []
  bus.bind('*', 'EV', (_d, i) => void log.push(`anyApp:${i.appName}/${i.eventName}`))
  bus.bind('A', '*', (_d, i) => void log.push(`anyEvent:${i.appName}/${i.eventName}`))
  bus.bind('*', '*', (_d, i) => void log.push(`all:${i.appName}/${i.eventName}`))
  bus.trigger('A', 'EV')
  bus.trigger('B', 'EV')
  bus.trigger('A', 'X')
  bus.trigger('B', 'X')
  expect(log).toEqual([
    'anyApp:A/EV',
    'anyEvent:A/EV',
    'all:A/EV',
    'anyApp:B/EV',
    'all:B/EV',
    'anyEvent:A/X',
    'all:A/X',
    'all:B/X',
  ])
})

test('listeners run in bind order across exact and wildcard bindings', () => {
  const bus = createBus().events_
  const log: number[] = []
  bus.bind('*', '*', () => void log.push(1))
  bus.bind('A', 'EV', () => void log.push(2))
  bus.bind({ eventName: 'EV', func: () => void log.push(3) })
  bus.bind('A', '*', () => void log.push(4))
  bus.bind('A', 'EV', () => void log.push(5))
  bus.trigger('A', 'EV')
  expect(log).toEqual([1, 2, 3, 4, 5])
})

test('triggerOnce runs once, also when its own listener triggers again', () => {
  const bus = createBus().events_
  let calls = 0
  bus.bind({
    appName: 'A',
    eventName: 'EV',
    triggerOnce: true,
    func() {
      calls++
      bus.trigger('A', 'EV')
    },
  })
  expect(bus.trigger('A', 'EV')).toBe(true)
  expect(calls).toBe(1)
  expect(bus.trigger('A', 'EV')).toBe(false)
  expect(calls).toBe(1)
})

test('triggerOnce is not called twice when an earlier listener re-triggers', () => {
  const bus = createBus().events_
  let once = 0
  let depth = 0
  bus.bind('A', 'EV', () => {
    if (depth++ === 0) bus.trigger('A', 'EV')
  })
  bus.bind({ appName: 'A', eventName: 'EV', triggerOnce: true, func: () => void once++ })
  bus.trigger('A', 'EV')
  expect(depth).toBe(2)
  expect(once).toBe(1)
})

test('async listeners run in a later task with context, and count for trigger', async () => {
  const bus = createBus().events_
  const context = {}
  const seen: unknown[] = []
  bus.bind({
    appName: 'A',
    eventName: 'EV',
    async: true,
    context,
    func(this: unknown, data: unknown, info: EventInfo) {
      seen.push(this, data, info)
    },
  })
  expect(bus.trigger('A', 'EV', 42)).toBe(true)
  expect(seen).toEqual([])
  await nextTask()
  expect(seen).toEqual([context, 42, { appName: 'A', eventName: 'EV' }])
})

test('async triggerOnce is unbound at trigger time and still runs once', async () => {
  const bus = createBus().events_
  let calls = 0
  bus.bind({ appName: 'A', eventName: 'EV', async: true, triggerOnce: true, func: () => void calls++ })
  expect(bus.trigger('A', 'EV')).toBe(true)
  expect(bus.trigger('A', 'EV')).toBe(false)
  await nextTask()
  expect(calls).toBe(1)
})

test('a throwing async listener is reported, not thrown', async () => {
  await withConsoleError(async (calls) => {
    const bus = createBus().events_
    const error = new Error('boom')
    bus.bind({
      appName: 'A',
      eventName: 'EV',
      async: true,
      func() {
        throw error
      },
    })
    bus.trigger('A', 'EV')
    expect(calls).toEqual([])
    await nextTask()
    expect(calls).toEqual([['[lpTag] listener for A/EV threw', error]])
  })
})

test('unbind by id: true once, then false; unknown id false', () => {
  const bus = createBus().events_
  let calls = 0
  const id = bus.bind('A', 'EV', () => void calls++)
  const other = bus.bind('A', 'EV', () => {})
  expect(bus.unbind(id)).toBe(true)
  expect(bus.unbind(id)).toBe(false)
  expect(bus.unbind('no-such-id')).toBe(false)
  expect(bus.unbind('')).toBe(false)
  expect(bus.trigger('A', 'EV')).toBe(true)
  expect(calls).toBe(0)
  expect(bus.unbind(other)).toBe(true)
  expect(bus.trigger('A', 'EV')).toBe(false)
})

test('unbind by object: every given field must match exactly', () => {
  const bus = createBus().events_
  const log: string[] = []
  const f = () => void log.push('f')
  const g = () => void log.push('g')
  bus.bind('A', 'EV', f)
  bus.bind('A', 'EV', g)
  bus.bind('B', 'EV', f)
  bus.bind('*', 'EV', f)
  bus.bind('A', 'X', f)

  expect(bus.unbind({ appName: 'C' })).toBe(false)
  expect(bus.unbind({ appName: 'A', eventName: 'EV', func: () => {} })).toBe(false)
  expect(bus.unbind({ appName: 'A', eventName: 'NOPE' })).toBe(false)

  expect(bus.unbind({ appName: 'A', eventName: 'EV', func: f })).toBe(true)
  bus.trigger('A', 'EV')
  expect(log).toEqual(['g', 'f']) // A/EV g, then */EV f
  log.length = 0

  // "*" only removes bindings made with "*".
  expect(bus.unbind({ appName: '*' })).toBe(true)
  bus.trigger('B', 'EV')
  bus.trigger('A', 'EV')
  expect(log).toEqual(['f', 'g'])
  log.length = 0

  // func alone removes it everywhere it is bound.
  expect(bus.unbind({ func: f })).toBe(true)
  bus.trigger('B', 'EV')
  bus.trigger('A', 'X')
  bus.trigger('A', 'EV')
  expect(log).toEqual(['g'])
  expect(bus.unbind({ func: f })).toBe(false)
})

test('unbind({}) and fields left undefined remove nothing', () => {
  const bus = createBus().events_
  let calls = 0
  bus.bind('A', 'EV', () => void calls++)
  expect(bus.unbind({})).toBe(false)
  expect(bus.unbind({ appName: undefined, eventName: undefined })).toBe(false)
  bus.trigger('A', 'EV')
  expect(calls).toBe(1)
})

test('trigger returns whether a listener matched', () => {
  const bus = createBus().events_
  expect(bus.trigger('A', 'EV')).toBe(false)
  bus.bind('A', 'OTHER', () => {})
  expect(bus.trigger('A', 'EV')).toBe(false)
  bus.bind('*', 'EV', () => {})
  expect(bus.trigger('A', 'EV')).toBe(true)
})

test('a nested trigger does not change the outer return value', () => {
  const bus = createBus().events_
  let inner: boolean | undefined
  bus.bind('A', 'OUTER', () => {
    inner = bus.trigger('A', 'INNER')
  })
  expect(bus.trigger('A', 'OUTER')).toBe(true)
  expect(inner).toBe(false)
})

test('hasFired: past events oldest first, "*" filters, recorded even without listeners', () => {
  const bus = createBus().events_
  bus.trigger('A', 'E1', 1)
  bus.trigger('B', 'E1', 2)
  bus.trigger('A', 'E2', 3)
  expect(bus.hasFired('A', 'E1')).toEqual([{ appName: 'A', eventName: 'E1', data: 1 }])
  expect(bus.hasFired('*', 'E1').map((e) => e.data)).toEqual([1, 2])
  expect(bus.hasFired('A', '*').map((e) => e.data)).toEqual([1, 3])
  expect(bus.hasFired('*', '*').map((e) => e.data)).toEqual([1, 2, 3])
  expect(bus.hasFired('C', '*')).toEqual([])
  expect(bus.hasFired('A', 'E3')).toEqual([])
})

test('hasFired result cannot change the history', () => {
  const bus = createBus().events_
  bus.trigger('A', 'EV', 1)
  bus.hasFired('*', '*').length = 0
  bus.hasFired('*', '*').push({ appName: 'X', eventName: 'Y', data: 0 })
  expect(bus.hasFired('*', '*')).toEqual([{ appName: 'A', eventName: 'EV', data: 1 }])
})

test('the event is in the history before listeners run', () => {
  const bus = createBus().events_
  let seen: unknown
  bus.bind('A', 'EV', () => {
    seen = bus.hasFired('A', 'EV')
  })
  bus.trigger('A', 'EV', 'x')
  expect(seen).toEqual([{ appName: 'A', eventName: 'EV', data: 'x' }])
})

test('history keeps the latest 1000 events', () => {
  const bus = createBus().events_
  for (let i = 0; i < 1005; i++) bus.trigger('A', 'EV', i)
  const all = bus.hasFired('*', '*')
  expect(all.length).toBe(1000)
  expect(all[0]?.data).toBe(5)
  expect(all[999]?.data).toBe(1004)
})

test('a throwing listener is reported once and does not stop the others', async () => {
  await withConsoleError((calls) => {
    const bus = createBus().events_
    const log: number[] = []
    const error = new Error('boom')
    bus.bind('A', 'EV', () => void log.push(1))
    bus.bind('*', 'EV', () => {
      throw error
    })
    bus.bind('A', 'EV', () => void log.push(3))
    expect(bus.trigger('A', 'EV')).toBe(true)
    expect(log).toEqual([1, 3])
    expect(calls).toEqual([['[lpTag] listener for A/EV threw', error]])
  })
})

test('a listener bound during a trigger waits for the next trigger', () => {
  const bus = createBus().events_
  const log: string[] = []
  let bound = false
  bus.bind('A', 'EV', () => {
    log.push('first')
    if (!bound) {
      bound = true
      bus.bind('A', 'EV', () => void log.push('late'))
    }
  })
  bus.trigger('A', 'EV')
  expect(log).toEqual(['first'])
  bus.trigger('A', 'EV')
  expect(log).toEqual(['first', 'first', 'late'])
})

test('a listener unbound during a trigger before its turn is not called', () => {
  const bus = createBus().events_
  const log: string[] = []
  let later = ''
  bus.bind('A', 'EV', () => {
    log.push('first')
    bus.unbind(later)
  })
  later = bus.bind('A', 'EV', () => void log.push('later'))
  bus.bind('A', 'EV', () => void log.push('last'))
  bus.trigger('A', 'EV')
  expect(log).toEqual(['first', 'last'])
})

test('a listener may unbind itself and trigger other events', () => {
  const bus = createBus().events_
  const log: string[] = []
  const self = bus.bind('A', 'EV', () => {
    log.push('self')
    log.push(`unbind:${bus.unbind(self)}`)
    log.push(`trigger:${bus.trigger('A', 'NESTED', 1)}`)
  })
  bus.bind('A', 'NESTED', (d) => void log.push(`nested:${d}`))
  bus.bind('A', 'EV', () => void log.push('after'))
  bus.trigger('A', 'EV')
  bus.trigger('A', 'EV')
  expect(log).toEqual(['self', 'unbind:true', 'nested:1', 'trigger:true', 'after', 'after'])
  expect(bus.hasFired('*', '*').map((e) => e.eventName)).toEqual(['EV', 'NESTED', 'EV'])
})

test('garbage input never throws', () => {
  const bus = createBus().events_
  const fn = () => {}
  const b = bus.bind as (...args: unknown[]) => string
  const u = bus.unbind as (arg: unknown) => boolean
  const t = bus.trigger as (...args: unknown[]) => boolean
  const h = bus.hasFired as (...args: unknown[]) => unknown[]
  const throwing = {
    get eventName(): string {
      throw new Error('getter')
    },
  }
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()

  for (const args of [
    [],
    [null],
    [undefined],
    [5],
    [fn],
    ['A'],
    ['A', 'EV'],
    ['A', 5, fn],
    ['A', 'EV', 'not a function'],
    [undefined, 'EV', fn],
    [{ eventName: 'EV' }],
    [{ func: fn }],
    [{ appName: 5, eventName: 'EV', func: fn }],
    [{ appName: null, eventName: 'EV', func: fn }],
    [{ eventName: Symbol('x'), func: fn }],
    [throwing],
    [proxy],
  ])
    expect(b(...args)).toBe('')
  expect(bus.trigger('A', 'EV')).toBe(false)
  expect(bus.trigger('5', 'EV')).toBe(false)
  expect(bus.trigger('null', 'EV')).toBe(false)

  for (const arg of [undefined, null, 5, true, fn, Symbol('x'), [], {}, throwing, proxy, { appName: 5 }])
    expect(u(arg)).toBe(false)

  for (const args of [[], [undefined, 'EV'], ['A'], [5, 'EV'], ['A', {}], [Symbol('x'), 'EV'], [null, null]])
    expect(t(...args)).toBe(false)
  expect(bus.hasFired('*', '*').map((e) => e.appName)).toEqual(['A', '5', 'null'])

  bus.trigger('A', 'EV')
  for (const args of [[], [undefined, undefined], [5, 'EV'], [{ toString: () => 'A' }, 'EV'], [Symbol('x'), '*'], [proxy, proxy]])
    expect(h(...args)).toEqual([])
})
