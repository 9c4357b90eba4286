/**
 * The page view's state: one object, owned by the page view (`machine.ts` and the helpers beside
 * it), never written from anywhere else. Fields end in `_`: the build shortens their names.
 */
import { dict } from '../lib/checks.ts'
import type { Outcome } from '../monitoring/response.ts'
import type { EngagementResult, Sde, TagError } from '../types.ts'

/** The visitor's ids: `vid`/`sid` from the API, `sub` the random unauthenticated identity (stored as named). */
export interface Ids {
  vid?: string
  sid?: string
  sub: string
}

/** A check as the page asked for it, already validated (`getEngagement`'s request, cleaned). */
export interface Asked {
  vid_?: string
  sid_?: string
  /** `consumerSections`, added to the page view's sections. */
  sections_?: string[]
  /** `engagementAttributes`, valid SDEs. */
  sdes_?: Sde[]
  /** The `appDetails` fields that go into `clientProperties`. */
  appDetails_?: Record<string, string>
}

/** What one engagement request carries; the shell adds the page's entry point, language, identities and client. */
export interface CheckBody {
  sub_: string
  url_: string
  sections_: string[]
  sdes_: Sde[]
  appDetails_?: Record<string, string>
}

/** One attempt of a Monitoring API call: the engagement method (`check_`), or the Report method (`report_`). */
export interface Attempt {
  vid_?: string
  sid_?: string
  report_?: { pageId?: string; engagementAttributes: object[] }
  check_?: CheckBody
}

/** The session an offer came in: where its reports and the SDEs sent meanwhile go. */
export interface Session {
  vid: string
  sid: string
  pageId?: string
}

/** How a call ended: answered, refused for good (a 4xx), no answer after the retries, or dropped. */
export type Final = Extract<Outcome, { kind: 'ok' | 'reject' }> | { kind: 'unavailable' | 'aborted'; message?: string }

/** Whether the request that carried SDEs delivered them (`true`), was refused (`false`), or neither. */
export type Settle = (delivered?: boolean) => void

/** A `getEngagement()` promise's resolve. */
export type Done = (result: EngagementResult) => void

/** The browser shell's port: every effect the page view has on the world. */
export interface Effects {
  now_(): number
  /** Whether the page is hidden (a background tab). */
  hidden_(): boolean
  /** Reads the stored ids: answers `idsRead(era, stored, fresh)` with this `era`, always later (never within this call). */
  readIds_(era: number): void
  storeIds_(ids: Ids): void
  /** Deletes every stored id (consent withdrawn). */
  eraseIds_(): void
  /** Sends one attempt of call `id`: answers `answered(id, status, text)`, status 0 for no answer. */
  send_(id: number, attempt: Attempt): void
  /** Drops call `id`'s attempt on the wire, if any. */
  abort_(id: number): void
  /** Fires `fire(name)` after `ms` (0: at the end of this task); arming a name again replaces it. */
  arm_(name: string, ms: number): void
  disarm_(name: string): void
  /** Publishes one of the tag's events (for `LP_TAG`/`ENGAGEMENT`, the page's `lpTag.onEngagement` runs too). */
  publish_(appName: string, eventName: string, data: unknown): void
  /** Hands a `getEngagement()` promise its result (a copy). */
  settle_(done: Done, result: EngagementResult): void
  /** LivePerson's BEFORE_SUBMIT_SDE hook: what of `sdes` may leave the page. */
  beforeSubmit_(sdes: Sde[]): Sde[]
  /** The validity the catalog gives engagement `engagementId` (the offer chunk, loaded): answers `entry(check, seconds)`. */
  entry_(check: number, engagementId: string): void
  /** Starts offer `offer` for `result` (the offer chunk): it answers `offerStarted`, `offerShown`, `offerEnded`. */
  startOffer_(offer: number, result: EngagementResult): void
  /** Ends the offer on the page, or one about to start, without a visitor's decision. */
  endOffer_(): void
  /** Fetches the offer chunks, now that the first request has left. */
  prefetch_(): void
  /** One console line and `LP_TAG`/`ERROR`. */
  error_(error: TagError): void
}

export interface Check {
  id_: number
  asked_: Asked
  /** The tag asked by itself (a re-check, SDEs to deliver): the answer changes the offer only as `verdict` says. */
  automatic_?: boolean
  /** The getEngagement() promise waiting for it, until it has its result. */
  done_?: Done
  /** Tells the SDEs it carries how it went (or puts them back); set once its request is built. */
  carried_?: Settle
  /** Its call to the API, once sent. */
  call_?: number
}

export interface Call {
  attempt_: Attempt
  retries_: number
  forgotten_?: boolean
  done_(final: Final): void
}

export interface Offer {
  id_: number
  key_: string
  session_: Session
  /** Its `LP_OFFERS` data, once started (`rendererStub` answers from it at once). */
  data_?: object
}

/** What configuration gives the page view. */
export interface Setup {
  url_: string
  sections_: string[]
  refreshMs_?: number
}

export interface State {
  fx_: Effects
  /** Set by configuration: the page view's URL and sections, the refresh period. */
  setup_?: Setup
  /** A wrong configuration: every check's result. */
  failed_?: EngagementResult
  consent_?: boolean
  started_?: boolean
  /** A `newPage` before configuration: its URL and sections. */
  page_: Partial<Setup>
  /** Whether a check of this page view got an answer (replaced ones do not count). */
  answered_?: boolean
  /** What the page's last `getEngagement` asked for on this page view, repeated by the checks the tag makes by itself. */
  asked_: Asked
  /** The offers (`campaignId_engagementId`) the visitor accepted or declined on this page view. */
  decided_: Set<string>
  /** getEngagement() calls made before configuration. */
  waiting_: [Asked, Done][]
  ids_?: Ids
  /** Counts erasures: a read begun before one must not bring the erased ids back. */
  era_: number
  check_?: Check
  /** An answer that offers an engagement, waiting for the catalog's validity. */
  pending_?: [Check, object, object]
  lastId_: number
  calls_: Map<number, Call>
  offer_?: Offer
  /** SDEs held for the page (`lpTag.sdes.get`), those no request carried yet, and `send` callbacks waiting. */
  held_: Sde[]
  unsent_: Sde[]
  callbacks_: Settle[]
  /** The refresh countdown: visible time left (0: disarmed), and since when it runs (0: paused). */
  left_: number
  since_: number
}

/**
 * The page view's state. Every object the page view makes has no prototype: a field it leaves out
 * reads as undefined, whatever a page or an extension added to Object.prototype (`vid`, `url`,
 * `engagementDetails`, or the one-letter names the build gives the `_` fields).
 */
export const createPageView = (fx: Effects): State =>
  dict({ fx_: fx, page_: dict({}), asked_: dict({}), decided_: new Set(), waiting_: [], era_: 0, lastId_: 0, calls_: new Map(), held_: [], unsent_: [], callbacks_: [], left_: 0, since_: 0 })

/** Whether consent allows sending and storing now. */
export const consented = (s: State): boolean => !!s.consent_ && !s.failed_

export const notAvailable = (error: TagError): EngagementResult => dict({ status: 'NotAvailable', error })
