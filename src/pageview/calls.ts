/**
 * Monitoring API calls with the retry policy (contract section 5): the engagement check's and the
 * Report method's. Timed by the page view's timers, so every pause is exact on a fake clock.
 */
import { dict } from '../lib/checks.ts'
import { readAnswer } from '../monitoring/response.ts'
import { consented, type Attempt, type Call, type Final, type Ids, type Session, type Settle, type State } from './state.ts'

/** Pauses before retries 1-4 (reference: monitoring-api-engagement, Retry Policy Recommendation). */
export const RETRY_PAUSES_MS = [3000, 10_000, 30_000, 90_000]

/** Starts a call: its first attempt now, its retries as the answers say. */
export function call(s: State, attempt: Attempt, done: Call['done_']): number {
  const id = ++s.lastId_
  s.calls_.set(id, dict({ attempt_: attempt, retries_: 0, done_: done }))
  s.fx_.send_(id, attempt)
  return id
}

/** Ends call `id` with `final`, once: nothing of it is sent any more. */
export function end(s: State, id: number, final: Final): void {
  const each = s.calls_.get(id)
  if (!each) return
  s.calls_.delete(id)
  s.fx_.abort_(id)
  s.fx_.disarm_('' + id)
  each.done_(final)
}

/**
 * One attempt's answer: ok and 4xx end the call; 404/37 and 404/39 forget vid/sid and send once
 * more at once; "Loading account" carries its vid into the retry; the rest retries after 3, 10,
 * 30 and 90 s, then gives up.
 */
export function answered(s: State, id: number, status: number, text: string): void {
  const each = s.calls_.get(id)
  if (!each) return
  const outcome = readAnswer(status, text)
  const attempt = each.attempt_
  const { kind } = outcome
  if (kind === 'ok' || kind === 'reject') return end(s, id, outcome)
  if (kind === 'forget') {
    if (each.forgotten_) return end(s, id, { kind: 'reject', message: `HTTP ${status}: the API refused a fresh visitor` })
    each.forgotten_ = true
    attempt.vid_ = attempt.sid_ = undefined
    if (attempt.check_) store(s, dict({ sub: s.ids_!.sub }))
    return s.fx_.send_(id, attempt)
  }
  if (kind === 'loading' && outcome.vid) attempt.vid_ = outcome.vid
  // Past the table's end, an index would read Object.prototype: the length decides.
  if (each.retries_ === RETRY_PAUSES_MS.length) return end(s, id, { kind: 'unavailable', message: `no answer from the API after ${each.retries_ + 1} attempts (last status ${status})` })
  const delayMs = RETRY_PAUSES_MS[each.retries_++]
  // A RETRY listener may withdraw consent: the call is over then.
  if (attempt.check_) s.fx_.publish_('LP_TAG', 'RETRY', { attempt: each.retries_, delayMs, status })
  if (s.calls_.has(id)) s.fx_.arm_('' + id, delayMs!)
}

/** A retry pause is over: the call's next attempt. */
export function retry(s: State, id: number): void {
  const each = s.calls_.get(id)
  if (each) s.fx_.send_(id, each.attempt_)
}

/** Sends the Report method's attributes in `session`, while consent holds (impressions, SDEs). */
export function report(s: State, session: Session, engagementAttributes: object[], done: Settle = () => {}): void {
  if (!consented(s)) return done()
  call(s, dict({ vid_: session.vid, sid_: session.sid, report_: { ...(session.pageId ? { pageId: session.pageId } : {}), engagementAttributes } }), (final) =>
    done(final.kind === 'ok' || (final.kind === 'reject' ? false : undefined)),
  )
}

/** Keeps the ids in memory, and in storage while consent holds. */
export function store(s: State, ids: Ids): void {
  s.ids_ = ids
  if (consented(s)) s.fx_.storeIds_(ids)
}
