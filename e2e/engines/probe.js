// @ts-nocheck: browser code served to test pages as is; kept plain JS so every engine runs it untranspiled.
// The cross-engine scenarios' eyes inside a test page, the same on every engine and every driver:
// the page server puts it first in <head> (a same-origin script, so strict-CSP pages allow it). It
// records console errors and warnings, uncaught errors and rejections (the tag throwing into the
// page) and CSP violations, and with `data-clock` it replaces the page's timers with a paused fake
// clock that only `__probe.clock.runFor(ms)` moves, so retry pauses are checked to the millisecond
// on engines whose drivers have no clock control.
;(() => {
  const probe = (window.__probe = { lines: [], errors: [], violations: [] })
  const text = (value) => {
    try {
      return value instanceof Error ? `${value.name}: ${value.message}` : String(value)
    } catch {
      return Object.prototype.toString.call(value)
    }
  }
  for (const [method, type] of [['error', 'error'], ['warn', 'warning']]) {
    const original = console[method]
    console[method] = function (...args) {
      probe.lines.push({ type, text: args.map(text).join(' ') })
      return original.apply(this, args)
    }
  }
  addEventListener('error', (event) => probe.errors.push(text(event.error ?? event.message)))
  addEventListener('unhandledrejection', (event) => probe.errors.push(`unhandled rejection: ${text(event.reason)}`))
  document.addEventListener('securitypolicyviolation', (event) => probe.violations.push(`${event.violatedDirective} ${event.blockedURI}`))

  if (!document.currentScript?.hasAttribute('data-clock')) return
  const realTimeout = setTimeout
  const RealDate = Date
  let now = RealDate.parse('2026-01-01T00:00:01Z')
  let lastId = 0
  const timers = new Map()
  const schedule = (fn, ms, args, every) => {
    const id = ++lastId
    timers.set(id, { at: now + Math.max(0, Number(ms) || 0), fn, args, every })
    return id
  }
  window.setTimeout = (fn, ms, ...args) => schedule(fn, ms, args, 0)
  window.setInterval = (fn, ms, ...args) => schedule(fn, ms, args, Math.max(1, Number(ms) || 0))
  window.clearTimeout = window.clearInterval = (id) => void timers.delete(id)
  window.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [now]))
    }
    static now() {
      return now
    }
  }
  probe.clock = {
    now: () => now,
    /** Moves time on by `ms`, firing every timer due on the way in order, letting the page's promise
     * continuations run after each (the next attempt's `fetch` starts from one). */
    async runFor(ms) {
      const end = now + ms
      for (;;) {
        let next
        for (const [id, timer] of timers) if (timer.at <= end && (!next || timer.at < next[1].at)) next = [id, timer]
        if (!next) break
        const [id, timer] = next
        now = timer.at
        if (timer.every) timer.at += timer.every
        else timers.delete(id)
        try {
          if (typeof timer.fn === 'function') timer.fn(...timer.args)
        } catch (error) {
          probe.errors.push(text(error))
        }
        await new Promise((resolve) => realTimeout(resolve, 0))
      }
      now = end
    },
  }
})()
