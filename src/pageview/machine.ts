/**
 * The page view: the one owner of its state (`state.ts`): consent, the check in flight and its
 * retries, the ids, the SDEs no request carried yet, the offer slot, the refresh countdown.
 *
 * Intents in, effects out. Every `lpTag` call, every answer, every timer and every step of an offer
 * arrives as an intent (a method of the object `createPageView` returns); everything the page view
 * does to the world leaves as an effect on the browser shell's port (`Effects`), one at a time, in
 * order. It touches no `window`, `document`, `fetch` or timer itself, so every race is a row of a
 * table in `machine.test.ts`, on a fake clock.
 *
 * An effect that runs page code (`publish`, `onEngagement`, `beforeSubmit`, `startOffer`, `error`)
 * may call straight back in (`consent(false)` from an ENGAGEMENT listener): after each, the page
 * view goes on only while what it was doing is still current.
 */
import { dict } from '../lib/checks.ts'
import type { ExposedEngagement } from '../monitoring/response.ts'
import type { EngagementResult, Sde } from '../types.ts'
import { answered, call, end, report, retry, store } from './calls.ts'
import { countFrom, pause, ranOut, run } from './countdown.ts'
import { push, reset, take, waiting } from './outbox.ts'
import { consented, createState, notAvailable, type Asked, type Check, type Effects, type Final, type Ids, type Session, type Settle, type State } from './state.ts'

export type { Asked, Effects, Ids, Session, Settle, Attempt, CheckBody } from './state.ts'
export { notAvailable } from './state.ts'

const replaced = () => notAvailable({ code: 'aborted', message: 'a newer engagement check replaced this one' })

/** One engagement of one campaign, whatever its revision. */
const offerKey = (offer: { campaignId: unknown; engagementId: unknown }) => `${offer.campaignId}_${offer.engagementId}`

/** What configuration gives the page view. */
export interface Setup {
  url: string
  sections: string[]
  /** Consent as the configuration gives it (`data-lp-consent`), until the page says otherwise. */
  granted: boolean
  /** False holds the first check until `start()`. */
  autoStart: boolean
  refreshMs?: number
}

export type PageView = ReturnType<typeof createPageView>

/** The page view's intents. */
export function createPageView(fx: Effects) {
  const s = createState(fx)
  return {
    /** Configuration is done: a setup runs the page view; a result (a wrong configuration) settles every check with it. */
    configure: (setup: Setup | EngagementResult) => configure(s, setup),
    /** `getEngagement(request)`: a fresh check; `done` gets its result. */
    getEngagement: (asked: Asked, done: (result: EngagementResult) => void) => getEngagement(s, asked, done),
    /** `start()`: the first check may go. */
    start: () => ((s.started_ = true), resume(s)),
    consent: (granted: boolean) => (granted ? grant(s) : withdraw(s)),
    /** `newPage(url, {section, sdes})`: sections already checked (undefined: as before), SDEs already valid. */
    newPage: (url: string, sections: string[] | undefined, sdes: Sde[]) => newPage(s, url, sections, sdes),
    /** Valid SDEs pushed (`lpTag.sdes.push`, `send`): held for the page, delivered at the end of the task. */
    push: (sdes: Sde[], done?: Settle) => (push(s, sdes, done), fx.arm('deliver', 0)),
    /** `lpTag.sdes.get()`: what is held for this page view. */
    held: () => s.held_,
    /** `visibilitychange`: the refresh countdown counts visible time only. */
    visibility: (hidden: boolean) => (hidden ? pause(s) : run(s)),
    /** The stored ids read (none when nothing valid is stored), with a fresh set to use instead. */
    idsRead: (era: number, stored: Ids | undefined, fresh: Ids) => idsRead(s, era, stored, fresh),
    /** One attempt of call `id` answered: status 0 when nothing came. */
    answered: (id: number, status: number, text: string) => answered(s, id, status, text),
    /** The catalog's validity for the engagement a check's answer offers. */
    entry: (id: number, validForSeconds?: number) => entry(s, id, validForSeconds),
    /** A timer fired. */
    fire: (name: string) => fire(s, name),
    /** The offer chunk says offer `id` started (START published, with its event data). */
    offerStarted: (id: number, data: object) => void (s.offer_?.id_ === id && (s.offer_.data_ = data)),
    /** … was drawn (or started headless): it can be accepted now. */
    offerShown: (id: number) => void (s.offer_?.id_ === id && (s.offer_.shown_ = true)),
    /** … ended, `byVisitor` (accepted or declined: not shown again on this page view) or not. */
    offerEnded: (id: number, byVisitor?: boolean) => offerEnded(s, id, byVisitor),
    /** The offer on the page now, or about to start. */
    offer: () => s.offer_,
    /** The Report method for the offer chunk (impressions), in `session`, while consent holds. */
    report: (session: Session, engagementAttributes: object[], done?: Settle) => report(s, session, engagementAttributes, done),
    /** Whether consent holds now (a click URL carries the ids only then). */
    consented: () => consented(s),
    /** The ids known now, for the debug panel. */
    ids: () => s.ids_,
    /** The debug panel's "forget visitor": the next request goes without vid and sid. */
    forget: () => void (s.ids_ && store(s, dict({ sub: s.ids_.sub }))),
  }
}

function configure(s: State, setup: Setup | EngagementResult) {
  const queued = s.waiting_
  s.waiting_ = []
  if ('status' in setup) {
    s.failed_ = setup
    for (const [, done] of queued) s.fx_.settle(done, setup)
    return
  }
  s.setup_ = dict({ url: s.page_.url ?? setup.url, sections: s.page_.sections ?? setup.sections, refreshMs: setup.refreshMs })
  s.consent_ ??= setup.granted
  s.started_ ||= setup.autoStart
  resume(s)
  for (const [asked, done] of queued) getEngagement(s, asked, done)
}

function getEngagement(s: State, asked: Asked, done: (result: EngagementResult) => void) {
  if (s.failed_) return s.fx_.settle(done, s.failed_)
  if (!s.setup_) return void s.waiting_.push([asked, done])
  // What the page asked for this page view (its sections, its app details), for the checks the
  // tag makes by itself: a re-check without them would take away an offer the page asked for.
  s.asked_ = dict({ sections: asked.sections, appDetails: asked.appDetails })
  startCheck(s, asked, false, done)
}

/** Consent given again, not merely confirmed: re-checks go on from now (a consent manager calling this on every page event must not postpone them for ever). */
function grant(s: State) {
  const regained = !s.consent_
  s.consent_ = true
  resume(s)
  if (regained && s.answered_ && !s.check_) countFrom(s, s.setup_?.refreshMs)
}

/**
 * Consent withdrawn: everything that could still send or store stops first (the check, reports
 * waiting to retry, the stored ids), then the offer goes (its listeners run page code).
 */
function withdraw(s: State) {
  s.consent_ = false
  abortCheck(s)
  for (const id of [...s.calls_.keys()]) end(s, id, { kind: 'aborted' })
  s.era_++
  s.ids_ = undefined
  s.fx_.eraseIds()
  countFrom(s)
  dropOffer(s)
}

function newPage(s: State, url: string, sections: string[] | undefined, sdes: Sde[]) {
  reset(s, sdes)
  const setup = s.setup_
  if (!setup) return void (s.page_ = dict({ url, sections: sections ?? s.page_.sections }))
  abortCheck(s)
  dropOffer(s)
  setup.url = url
  if (sections) setup.sections = sections
  s.answered_ = false
  s.decided_ = new Set()
  s.asked_ = dict({})
  resume(s)
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
  if (!s.setup_ || !consented(s) || !s.started_ || s.check_ || !waiting(s)) return
  if (!s.offer_) return startCheck(s, s.asked_, true)
  // Read before the hook runs: it may end the offer (consent(false), newPage).
  const session = s.offer_.session_
  const [sdes, settle] = take(s)
  const sent = s.fx_.beforeSubmit(sdes)
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
  if (old.done_) s.fx_.settle(old.done_, replaced())
}

function startCheck(s: State, asked: Asked, automatic?: boolean, done?: Check['done_']) {
  if (!consented(s)) return done && s.fx_.settle(done, notAvailable({ code: 'consent', message: 'consent is pending: call lpTag.consent(true) first' }))
  if (!s.started_) return done && s.fx_.settle(done, notAvailable({ code: 'held', message: 'autoStart is false: call lpTag.start() first' }))
  abortCheck(s)
  s.check_ = dict({ id_: ++s.lastId_, asked_: asked, automatic_: automatic, done_: done })
  // Always answered later: 20 calls in one task send one request.
  s.fx_.readIds(s.era_)
}

/**
 * The ids are read: the current check's request goes. Ids already known (an answer's) win, and a
 * read begun before an erasure never brings the erased ids back.
 */
function idsRead(s: State, era: number, stored: Ids | undefined, fresh: Ids) {
  s.ids_ ??= (era === s.era_ && stored) || fresh
  const c = s.check_
  if (!c || c.carried_ || !s.setup_) return
  const [sdes, settle] = take(s)
  c.carried_ = settle
  const sent = s.fx_.beforeSubmit([...sdes, ...(c.asked_.sdes ?? [])])
  // The hook may have replaced this check (consent(false), newPage): its SDEs went back.
  if (s.check_ !== c) return
  const { vid, sid, sub } = s.ids_
  const { url, sections } = s.setup_
  const body = dict({ sub, url, sections: [...new Set([...sections, ...(c.asked_.sections ?? [])])], sdes: sent, appDetails: c.asked_.appDetails })
  c.call_ = call(s, dict({ vid: c.asked_.vid ?? vid, sid: c.asked_.sid ?? sid, check: body }), (final) => checked(s, c, final))
  s.fx_.prefetch()
}

/** The check's call ended: the result, or (when the answer offers an engagement) the catalog's validity first. */
function checked(s: State, c: Check, final: Final) {
  c.call_ = undefined
  c.carried_?.(final.kind === 'ok' ? true : final.kind === 'reject' ? false : undefined)
  if (s.check_ !== c || final.kind === 'aborted') return
  // This page view got its answer: consent given again or start() need not check once more.
  s.answered_ = true
  if (final.kind !== 'ok') {
    const error =
      final.kind === 'reject'
        ? { code: 'rejected', message: `the Monitoring API refused the engagement request: ${final.message}` }
        : { code: 'unavailable', message: `the Monitoring API is unavailable: ${final.message}` }
    s.fx_.error(error)
    return s.check_ === c && announce(s, c, notAvailable(error))
  }
  // The ids are in memory at once; the offer does not wait for the disk.
  store(s, dict({ vid: final.vid, sid: final.sid, sub: s.ids_!.sub }))
  const session = { sessionId: final.sid, visitorId: final.vid, pageId: final.pageId }
  if (final.conversation) s.fx_.publish('LP_TAG', 'CONVERSATION', final.conversation)
  if (s.check_ !== c) return
  if (final.conversation || !final.offer) return announce(s, c, dict({ status: 'NotAvailable', ...session, conversation: final.conversation }))
  s.pending_ = [c, session, final.offer]
  s.fx_.entry(c.id_, String(final.offer.engagementId))
}

/** The catalog's validity (default 900 s) for the engagement the current check's answer offers: the result goes out. */
function entry(s: State, id: number, validForSeconds = 900) {
  const pending = s.pending_
  if (!pending || pending[0].id_ !== id) return
  s.pending_ = undefined
  const [c, session, exposed] = pending
  if (s.check_ === c) announce(s, c, dict({ status: 'Available', ...session, engagementDetails: dict({ validForSeconds, ...(exposed as ExposedEngagement) }) }))
}

/**
 * The result to the page and to the offer: ENGAGEMENT, onEngagement, then the offer, while the
 * check is still current (a listener may have withdrawn consent, called newPage or checked again).
 */
function announce(s: State, c: Check, result: EngagementResult) {
  const done = c.done_
  c.done_ = undefined
  s.fx_.publish('LP_TAG', 'ENGAGEMENT', result)
  s.fx_.onEngagement(result)
  if (s.check_ === c) {
    s.check_ = undefined
    // The page asked: what the answer offers shows. The tag asked by itself: see `verdict`.
    const next = c.automatic_ ? verdict(s, result) : result.engagementDetails ? 'show' : 'keep'
    if (next === 'remove') dropOffer(s)
    if (next === 'show') {
      dropOffer(s)
      s.offer_ = dict({ id_: ++s.lastId_, key_: offerKey(result.engagementDetails!), session_: dict({ vid: result.visitorId!, sid: result.sessionId!, pageId: result.pageId }) })
      s.fx_.startOffer(s.offer_.id_, result)
    }
    // SDEs pushed while it ran go now. After a failure they wait for the next push, newPage or
    // check: the retry policy already spent its pauses.
    if (!result.error) s.fx_.arm('deliver', 0)
    // The next re-check counts from this answer; not after a refusal (the request itself is wrong).
    if (consented(s) && result.error?.code !== 'rejected') countFrom(s, s.setup_!.refreshMs)
  }
  if (done) s.fx_.settle(done, result)
}

/**
 * What an answer the tag asked for by itself does to the offer: the one the page shows stays as
 * it is while the API exposes it in the same session; one the visitor accepted or declined on
 * this page view is not shown again; one the API no longer exposes goes. A failed check changes nothing.
 */
function verdict(s: State, result: EngagementResult): 'show' | 'keep' | 'remove' {
  const details = result.engagementDetails
  const offer = s.offer_
  if (details && offer && offer.key_ === offerKey(details) && offer.session_.sid === result.sessionId) return 'keep'
  if (details && !s.decided_.has(offerKey(details))) return 'show'
  return result.error ? 'keep' : 'remove'
}

/** Ends the offer on the page (or about to start) without a visitor's decision. */
function dropOffer(s: State) {
  if (!s.offer_) return
  s.offer_ = undefined
  s.fx_.endOffer()
}

function offerEnded(s: State, id: number, byVisitor?: boolean) {
  if (s.offer_?.id_ !== id) return
  if (byVisitor) s.decided_.add(s.offer_.key_)
  s.offer_ = undefined
}

/** Timers fire here, by name: `deliver` at the end of a task, the `refresh` countdown, a call's retry pause. */
function fire(s: State, name: string) {
  if (name === 'deliver') return deliver(s)
  if (name !== 'refresh') return retry(s, +name)
  if (!ranOut(s) || !consented(s) || !s.started_ || s.check_) return
  // An offer still waiting for its start is given another round.
  if (s.offer_ && !s.offer_.data_) return countFrom(s, s.setup_?.refreshMs)
  startCheck(s, s.asked_, true)
}
