/**
 * `data-lp-refresh`: the countdown to the next re-check counts the page's visible time only, so a
 * background tab never polls the API: hidden, it pauses; shown again, it goes on with what was left.
 */
import type { State } from './state.ts'

export function pause(s: State): void {
  if (!s.since_) return
  s.fx_.disarm('refresh')
  s.left_ = Math.max(1, s.left_ - (s.fx_.now() - s.since_))
  s.since_ = 0
}

export function run(s: State): void {
  if (!s.left_ || s.since_ || s.fx_.hidden()) return
  s.since_ = s.fx_.now()
  s.fx_.arm('refresh', s.left_)
}

/** Counts `ms` from now (none: disarmed). */
export function countFrom(s: State, ms?: number): void {
  pause(s)
  s.left_ = ms ?? 0
  run(s)
}

/**
 * The countdown ran out: whether to re-check now. Hidden without the page view hearing of it (page
 * code stopped the event), it waits to be shown again.
 */
export function ranOut(s: State): boolean {
  const hidden = s.fx_.hidden()
  s.since_ = 0
  s.left_ = hidden ? 1 : 0
  return !hidden
}
