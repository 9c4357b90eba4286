/**
 * The page view's state: one object, owned by the page view (`machine.ts` and the helpers beside
 * it), never written from anywhere else. Fields end in `_`: the build shortens their names.
 */
import type { Outcome } from '../monitoring/response.ts'
import { dict } from '../lib/checks.ts'
import type { EngagementResult, Sde, TagError } from '../types.ts'

/** The visitor's ids: `vid`/`sid` from the API, `sub` the random unauthenticated identity. */
export interface Ids {
  vid?: string
  sid?: string
  sub: string
}

/** A check as the page asked for it, already validated (`getEngagement`'s request, cleaned). */
export interface Asked {
  vid?: string
  sid?: string
  /** `consumerSections`, added to the page view's sections. */
  sections?: string[]
  /** `engagementAttributes`, valid SDEs. */
  sdes?: Sde[]
  /** The `appDetails` fields that go into `clientProperties`. */
  appDetails?: Record<string, string>
}

/** What one engagement request carries; the shell adds the page's entry point, language, identities and client. */
export interface CheckBody {
  sub: string
  url: string
  sections: string[]
  sdes: Sde[]
  appDetails?: Record<string, string>
}

/** One attempt of a Monitoring API call: the engagement method, or the Report method. */
export interface Attempt {
  vid?: string
  sid?: string
  report?: { pageId?: string; engagementAttributes: object[] }
  check?: CheckBody
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

/** The browser shell's port: every effect the page view has on the world. */
export interface Effects {
  now(): number
  /** Whether the page is hidden (a background tab). */
  hidden(): boolean
  /** Reads the stored ids: answers `idsRead(era, stored, fresh)` with this `era`, always later (never within this call). */
  readIds(era: number): void
  storeIds(ids: Ids): void
  /** Deletes every stored id (consent withdrawn). */
  eraseIds(): void
  /** Sends one attempt of call `id`: answers `answered(id, status, text)`, status 0 for no answer. */
  send(id: number, attempt: Attempt): void
  /** Drops call `id`'s attempt on the wire, if any. */
  abort(id: number): void
  /** Fires `fire(name)` after `ms` (0: at the end of this task); arming a name again replaces it. */
  arm(name: string, ms: number): void
  disarm(name: string): void
  publish(appName: string, eventName: string, data: unknown): void
  /** Runs the page's `lpTag.onEngagement`. */
  onEngagement(result: EngagementResult): void
  /** Hands a `getEngagement()` promise its result (a copy). */
  settle(done: (result: EngagementResult) => void, result: EngagementResult): void
  /** LivePerson's BEFORE_SUBMIT_SDE hook: what of `sdes` may leave the page. */
  beforeSubmit(sdes: Sde[]): Sde[]
  /** The validity the catalog gives engagement `engagementId` (the offer chunk, loaded): answers `entry(check, seconds)`. */
  entry(check: number, engagementId: string): void
  /** Starts offer `offer` for `result` (the offer chunk): it answers `offerStarted`, `offerShown`, `offerEnded`. */
  startOffer(offer: number, result: EngagementResult): void
  /** Ends the offer on the page, or one about to start, without a visitor's decision. */
  endOffer(): void
  /** Fetches the offer chunks, now that the first request has left. */
  prefetch(): void
  /** One console line and `LP_TAG`/`ERROR`. */
  error(error: TagError): void
}

export interface Check {
  id_: number
  asked_: Asked
  /** The tag asked by itself (a re-check, SDEs to deliver): the answer changes the offer only as `verdict` says. */
  automatic_?: boolean
  /** The getEngagement() promise waiting for it, until it has its result. */
  done_?: (result: EngagementResult) => void
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
  shown_?: boolean
}

export interface State {
  fx_: Effects
  /** Set by configuration: the page view's URL and sections, the refresh period. */
  setup_?: { url: string; sections: string[]; refreshMs?: number }
  /** A wrong configuration: every check's result. */
  failed_?: EngagementResult
  consent_?: boolean
  started_?: boolean
  /** A `newPage` before configuration: its URL and sections. */
  page_: { url?: string; sections?: string[] }
  /** Whether a check of this page view got an answer (replaced ones do not count). */
  answered_?: boolean
  /** What the page's last `getEngagement` asked for on this page view, repeated by the checks the tag makes by itself. */
  asked_: Asked
  /** The offers (`campaignId_engagementId`) the visitor accepted or declined on this page view. */
  decided_: Set<string>
  /** getEngagement() calls made before configuration. */
  waiting_: [Asked, (result: EngagementResult) => void][]
  ids_?: Ids
  /** Counts erasures: a read begun before one must not bring the erased ids back. */
  era_: number
  check_?: Check
  /** An answer that offers an engagement, waiting for the catalog's validity. */
  pending_?: [Check, Pick<EngagementResult, 'sessionId' | 'visitorId' | 'pageId'>, object]
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
 * Every object the page view makes has no prototype: a field it leaves out reads as undefined,
 * whatever a page or an extension added to Object.prototype (`vid`, `url`, `engagementDetails`,
 * or the one-letter names the build gives the `_` fields).
 */
export const createState = (fx: Effects): State =>
  dict({
  fx_: fx,
  decided_: new Set(),
  waiting_: [],
  era_: 0,
  lastId_: 0,
  calls_: new Map(),
  held_: [],
  unsent_: [],
  callbacks_: [],
  left_: 0,
  since_: 0,
  page_: dict({}),
  asked_: dict({}),
})

/** Whether consent allows sending and storing now. */
export const consented = (s: State): boolean => !!s.consent_ && !s.failed_

export const notAvailable = (error: TagError): EngagementResult => dict({ status: 'NotAvailable', error })
