/**
 * The page view: the one owner of its state (`state.ts`): consent, the check in flight and its
 * retries, the ids, the SDEs no request carried yet, the offer slot, the refresh countdown.
 *
 * Intents in, effects out. Every `lpTag` call, every answer, every timer and every step of an
 * offer arrives as an intent (a function here, given the state); everything the page view does to
 * the world leaves as an effect on the browser shell's port (`Effects`), one at a time, in order.
 * It touches no `window`, `document`, `fetch` or timer itself, so every race is a row of a table in
 * `machine.test.ts`, on a fake clock.
 *
 * An effect that runs page code (`publish_`, `beforeSubmit_`, `startOffer_`, `error_`) may call
 * straight back in (`consent(false)` from an ENGAGEMENT listener): after each, the page view goes
 * on only while what it was doing is still current.
 */
import { dict } from '../lib/checks.ts'
import type { EngagementResult, Sde } from '../types.ts'
import { call, end, report, retry, store } from './calls.ts'
import { countFrom, ranOut } from './countdown.ts'
import { take } from './outbox.ts'
import { consented, notAvailable, type Asked, type Check, type Done, type Final, type Ids, type Settle, type State } from './state.ts'

export { answered, report } from './calls.ts'
export { visibility } from './countdown.ts'
export { consented, createPageView, notAvailable } from './state.ts'
export type { Asked, Attempt, CheckBody, Effects, Ids, Session, Settle, State } from './state.ts'

/** One engagement of one campaign, whatever its revision. */
const offerKey = (offer: { campaignId: unknown; engagementId: unknown }) => `${offer.campaignId}_${offer.engagementId}`

/**
 * Configuration is done. A setup runs the page view: consent as the configuration gives it
 * (`data-lp-consent`) unless the page said otherwise; `autoStart: false` holds the first check
 * until `start()`. A result (a wrong configuration) settles every check with it.
 */
export function configure(s: State, setup: { url_: string; sections_: string[]; refreshMs_?: number; granted_: boolean; autoStart_: boolean } | EngagementResult) {
  const queued = s.waiting_
  s.waiting_ = []
  if ('status' in setup) s.failed_ = setup
  else {
    s.setup_ = dict({ url_: s.page_.url_ ?? setup.url_, sections_: s.page_.sections_ ?? setup.sections_, refreshMs_: setup.refreshMs_ })
    s.consent_ ??= setup.granted_
    s.started_ ||= setup.autoStart_
    resume(s)
  }
  for (const [asked, done] of queued) getEngagement(s, asked, done)
}

/** `getEngagement(request)`: a fresh check; `done` gets its result. */
export function getEngagement(s: State, asked: Asked, done: Done) {
  if (s.failed_) return s.fx_.settle_(done, s.failed_)
  if (!s.setup_) return void s.waiting_.push([asked, done])
  // What the page asked for this page view (its sections, its app details), for the checks the
  // tag makes by itself: a re-check without them would take away an offer the page asked for.
  s.asked_ = dict({ sections_: asked.sections_, appDetails_: asked.appDetails_ })
  startCheck(s, asked, done)
}

/** `start()`: the first check may go. */
export function start(s: State) {
  s.started_ = true
  resume(s)
}

/**
 * `consent(granted)`. Given again (not merely confirmed), re-checks go on from now: a consent
 * manager calling this on every page event must not postpone them for ever. Withdrawn, everything
 * that could still send or store stops first (the check, reports waiting to retry, the stored ids),
 * then the offer goes (its listeners run page code).
 */
export function consent(s: State, granted: boolean) {
  const regained = !s.consent_
  s.consent_ = granted
  if (granted) {
    resume(s)
    if (regained && s.answered_ && !s.check_) countFrom(s, s.setup_?.refreshMs_)
    return
  }
  abortCheck(s)
  for (const id of [...s.calls_.keys()]) end(s, id, { kind: 'aborted' })
  s.era_++
  s.ids_ = undefined
  s.fx_.eraseIds_()
  countFrom(s)
  dropOffer(s)
}

/**
 * `newPage(url, {section, sdes})`, sections already checked (undefined: as before), SDEs already
 * valid. What no request carried yet stays: a purchase pushed just before navigating still goes.
 */
export function newPage(s: State, url: string, sections: string[] | undefined, sdes: Sde[]) {
  s.held_ = [...s.unsent_]
  push(s, sdes)
  const setup = s.setup_ ?? s.page_
  setup.url_ = url
  if (sections) setup.sections_ = sections
  if (!s.setup_) return
  abortCheck(s)
  dropOffer(s)
  s.answered_ = false
  s.decided_ = new Set()
  s.asked_ = dict({})
  resume(s)
}

/** Valid SDEs pushed (`lpTag.sdes.push`, `send`): held for the page, delivered at the end of the task; `done` hears how. */
export function push(s: State, sdes: Sde[], done?: Settle) {
  s.held_.push(...sdes)
  s.unsent_.push(...sdes)
  if (done) s.callbacks_.push(done)
  s.fx_.arm_('deliver', 0)
}

/** The page view's check, unless one runs or already got its answer; else what SDEs wait, go. */
function resume(s: State) {
  if (!s.setup_ || s.answered_ || s.check_ || !consented(s) || !s.started_) return deliver(s)
  startCheck(s, dict({}))
}

/**
 * Delivers what waits in the outbox (contract section 2): with the Report method in the offer's
 * session while an offer shows or is about to, else with a new engagement check (they may make the
 * visitor eligible). Nothing while consent is pending, before `start()`, or while a check runs:
 * that check carries them, or delivers them when it ends.
 */
function deliver(s: State) {
  if (!s.setup_ || !consented(s) || !s.started_ || s.check_ || !(s.unsent_.length || s.callbacks_.length)) return
  if (!s.offer_) return startCheck(s, s.asked_, undefined, true)
  // Read before the hook runs: it may end the offer (consent(false), newPage).
  const session = s.offer_.session_
  const [sdes, settle] = take(s)
  const sent = s.fx_.beforeSubmit_(sdes)
  if (sent.length) report(s, session, sent, settle)
  else settle(true)
}

/**
 * Replaces whatever check runs: it never sends its request, its answer shows and reports nothing,
 * the SDEs it carried wait for the next one, its promise settles as replaced.
 */
function abortCheck(s: State) {
  const old = s.check_
  s.check_ = undefined
  if (!old) return
  if (old.call_) end(s, old.call_, { kind: 'aborted' })
  old.carried_?.()
  if (old.done_) s.fx_.settle_(old.done_, notAvailable({ code: 'aborted', message: 'a newer engagement check replaced this one' }))
}

function startCheck(s: State, asked: Asked, done?: Done, automatic?: boolean) {
  const refused = !consented(s) ? 'consent is pending: call lpTag.consent(true) first' : !s.started_ && 'autoStart is false: call lpTag.start() first'
  if (refused) return done && s.fx_.settle_(done, notAvailable({ code: consented(s) ? 'held' : 'consent', message: refused }))
  abortCheck(s)
  s.check_ = dict({ id_: ++s.lastId_, asked_: asked, automatic_: automatic, done_: done })
  // Always answered later: 20 calls in one task send one request.
  s.fx_.readIds_(s.era_)
}

/**
 * The ids are read (`stored`, none when nothing valid is stored; `fresh` to use instead): the
 * current check's request goes. Ids already known (an answer's) win, and a read begun before an
 * erasure never brings the erased ids back.
 */
export function idsRead(s: State, era: number, stored: Ids | undefined, fresh: Ids) {
  s.ids_ ??= (era === s.era_ && stored) || fresh
  const c = s.check_
  if (!c || c.carried_) return
  const [sdes, settle] = take(s)
  c.carried_ = settle
  const asked = c.asked_
  const sent = s.fx_.beforeSubmit_([...sdes, ...(asked.sdes_ ?? [])])
  // The hook may have replaced this check (consent(false), newPage): its SDEs went back.
  if (s.check_ !== c) return
  const { url_, sections_ } = s.setup_!
  const body = dict({ sub_: s.ids_.sub, url_, sections_: [...new Set([...sections_, ...(asked.sections_ ?? [])])], sdes_: sent, appDetails_: asked.appDetails_ })
  c.call_ = call(s, dict({ vid_: asked.vid_ ?? s.ids_.vid, sid_: asked.sid_ ?? s.ids_.sid, check_: body }), (final) => checked(s, c, final))
  s.fx_.prefetch_()
}

/** The check's call ended: the result, or (when the answer offers an engagement) the catalog's validity first. */
function checked(s: State, c: Check, final: Final) {
  c.call_ = undefined
  c.carried_?.(final.kind === 'ok' || (final.kind === 'reject' ? false : undefined))
  if (s.check_ !== c || final.kind === 'aborted') return
  // This page view got its answer: consent given again or start() need not check once more.
  s.answered_ = true
  if (final.kind !== 'ok') {
    const rejected = final.kind === 'reject'
    const error = { code: rejected ? 'rejected' : 'unavailable', message: `the Monitoring API ${rejected ? 'refused the engagement request' : 'is unavailable'}: ${final.message}` }
    s.fx_.error_(error)
    return s.check_ === c && announce(s, c, notAvailable(error))
  }
  // The ids are in memory at once; the offer does not wait for the disk.
  store(s, dict({ vid: final.vid, sid: final.sid, sub: s.ids_!.sub }))
  const session = { sessionId: final.sid, visitorId: final.vid, pageId: final.pageId }
  if (final.conversation) s.fx_.publish_('LP_TAG', 'CONVERSATION', final.conversation)
  if (s.check_ !== c) return
  if (!final.offer || final.conversation) return announce(s, c, dict({ status: 'NotAvailable', ...session, conversation: final.conversation }))
  s.pending_ = [c, session, final.offer]
  s.fx_.entry_(c.id_, '' + final.offer.engagementId)
}

/** The catalog's validity (default 900 s) for the engagement the current check's answer offers: the result goes out. */
export function entry(s: State, id: number, validForSeconds = 900) {
  const pending = s.pending_
  if (!pending || pending[0].id_ !== id) return
  s.pending_ = undefined
  const [c, session, offer] = pending
  if (s.check_ === c) announce(s, c, dict({ status: 'Available', ...session, engagementDetails: dict({ validForSeconds, ...offer }) }) as EngagementResult)
}

/**
 * The result to the page and to the offer: ENGAGEMENT (and onEngagement), then the offer, while the
 * check is still current (a listener may have withdrawn consent, called newPage or checked again).
 */
function announce(s: State, c: Check, result: EngagementResult) {
  const done = c.done_
  c.done_ = undefined
  s.fx_.publish_('LP_TAG', 'ENGAGEMENT', result)
  if (s.check_ === c) {
    s.check_ = undefined
    const details = result.engagementDetails
    const key = details && offerKey(details)
    const offer = s.offer_
    // The page asked: what the answer offers shows. The tag asked by itself: the offer showing
    // stays as it is while the API exposes it in the same session; one the visitor accepted or
    // declined on this page view is not shown again; one the API no longer exposes goes; a failed
    // check changes nothing.
    const next = !c.automatic_
      ? key && 'show'
      : key && offer?.key_ === key && offer.session_.sid === result.sessionId
        ? 0
        : key && !s.decided_.has(key)
          ? 'show'
          : !result.error && 'remove'
    if (next) dropOffer(s)
    if (next === 'show') {
      s.offer_ = dict({ id_: ++s.lastId_, key_: key!, session_: dict({ vid: result.visitorId!, sid: result.sessionId!, pageId: result.pageId }) })
      s.fx_.startOffer_(s.offer_.id_, result)
    }
    // SDEs pushed while it ran go now. After a failure they wait for the next push, newPage or
    // check: the retry policy already spent its pauses.
    if (!result.error) s.fx_.arm_('deliver', 0)
    // The next re-check counts from this answer; not after a refusal (the request itself is wrong).
    if (consented(s) && result.error?.code !== 'rejected') countFrom(s, s.setup_!.refreshMs_)
  }
  if (done) s.fx_.settle_(done, result)
}

/** Ends the offer on the page (or about to start) without a visitor's decision. */
function dropOffer(s: State) {
  if (!s.offer_) return
  s.offer_ = undefined
  s.fx_.endOffer_()
}

/** The offer chunk says offer `id` started (START published, with its event data). */
export function offerStarted(s: State, id: number, data: object) {
  if (s.offer_?.id_ === id) s.offer_.data_ = data
}

/** … ended, `byVisitor` (accepted or declined: not shown again on this page view) or not. */
export function offerEnded(s: State, id: number, byVisitor?: boolean) {
  if (s.offer_?.id_ !== id) return
  if (byVisitor) s.decided_.add(s.offer_.key_)
  s.offer_ = undefined
}

/** Timers fire here, by name: `deliver` at the end of a task, the `refresh` countdown, a call's retry pause. */
export function fire(s: State, name: string) {
  if (name === 'deliver') return deliver(s)
  if (name !== 'refresh') return retry(s, +name)
  if (!ranOut(s) || !consented(s) || !s.started_ || s.check_) return
  // An offer still waiting for its start is given another round.
  if (s.offer_ && !s.offer_.data_) return countFrom(s, s.setup_?.refreshMs_)
  startCheck(s, s.asked_, undefined, true)
}

/** The debug panel's "forget visitor": the next request goes without vid and sid. */
export function forget(s: State) {
  if (s.ids_) store(s, dict({ sub: s.ids_.sub }))
}
