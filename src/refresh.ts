import { pageHidden as hidden } from './lib/page.ts'

/** A countdown armed after each answered check (`data-lp-refresh`); `stop` disarms it. */
export interface Countdown {
  arm(): void
  stop(): void
}

/**
 * Counts the page's visible time only, so a background tab never polls the API: hiding the page
 * pauses the count, showing it again goes on with what was left. `visibilitychange` bubbles from
 * `document` to `window`, where page content cannot shadow `addEventListener`.
 */
export function visibleCountdown(ms: number, done: () => void): Countdown {
  /** What is left to count: 0 when disarmed. */
  let left = 0
  let since = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const pause = () => {
    if (timer === undefined) return
    clearTimeout(timer)
    timer = undefined
    left = Math.max(1, left - (Date.now() - since))
  }
  const run = () => {
    if (!left || timer !== undefined || hidden()) return
    since = Date.now()
    timer = setTimeout(() => {
      timer = undefined
      // Hidden without the event reaching `window` (page code stopped it): wait to be shown again.
      if (hidden()) return void (left = 1)
      left = 0
      done()
    }, left)
  }
  addEventListener('visibilitychange', () => (hidden() ? pause() : run()))
  return {
    arm() {
      pause()
      left = ms
      run()
    },
    stop() {
      pause()
      left = 0
    },
  }
}
