/**
 * `data-lp-refresh`: the countdown to the next re-check counts the page's visible time only, so a
 * background tab never polls the API: hidden, it pauses; shown again, it goes on with what was left.
 */
import type { State } from './state.ts'

/** `visibilitychange`: hidden, the countdown pauses; shown, it goes on. */
export function visibility(s: State, hidden: boolean): void {
  if (!hidden) {
    if (s.left_ && !s.since_ && !s.fx_.hidden_()) {
      s.since_ = s.fx_.now_()
      s.fx_.arm_('refresh', s.left_)
    }
  } else if (s.since_) {
    s.fx_.disarm_('refresh')
    s.left_ = Math.max(1, s.left_ - (s.fx_.now_() - s.since_))
    s.since_ = 0
  }
}

/** Counts `ms` from now (none: disarmed). */
export function countFrom(s: State, ms?: number): void {
  visibility(s, true)
  s.left_ = ms ?? 0
  visibility(s, false)
}

/**
 * The countdown ran out: whether to re-check now. Hidden without the page view hearing of it (page
 * code stopped the event), it waits to be shown again.
 */
export function ranOut(s: State): boolean {
  const hidden = s.fx_.hidden_()
  s.since_ = 0
  s.left_ = +hidden
  return !hidden
}
