import type { Hooks } from './compat/hooks.ts'
import type { TagConfig } from './config/resolve.ts'
import type { Bus } from './events/bus.ts'
import type { IdentityStore } from './identity/visitor.ts'
import type { Catalog, CatalogEntry } from './offer/catalog.ts'
import type { Offer, Starting } from './offer/lifecycle.ts'
import type { OfferUi } from './offer/ui.ts'
import type { Countdown } from './refresh.ts'
import type { SdeStore } from './sdes/store.ts'
import type { EngagementRequest, EngagementResult, Identity, LpTag, TagError } from './types.ts'

/** What the tag was set up with: fixed for the page. */
export interface Setup {
  config: TagConfig
  lpTag: Partial<LpTag>
}

/** What checks and offers use, made once by `boot`. */
export interface Services {
  /** Publishes the tag's events (listeners get copies). */
  publish: Bus['publish']
  ids: IdentityStore
  sdes: SdeStore
  identities: { all(): Identity[] }
  /** `lpTag.hooks`: the page's say before an offer shows and before SDEs leave. */
  hooks: Hooks
  /** Delivers SDEs pushed since the last request (contract section 2), once no check runs. */
  flush(): void
  /** The brand's engagement catalog, loaded once, in parallel with the first request. */
  catalog(): Promise<Catalog>
  /** The offer UI, loaded once; undefined where it cannot be (one console line says why). */
  ui(): Promise<OfferUi | undefined>
  /** Called with every available engagement: the offer lifecycle takes it from here, while `signal` holds. */
  offer(result: EngagementResult, entry: CatalogEntry | undefined, signal: AbortSignal): void
  /** `data-lp-refresh`: the visible time until the next re-check, armed after each answered check. */
  refresh?: Countdown
}

/** The page view and what runs for it. */
export interface PageView {
  /** The page view's URL and sections (`newPage` changes them). */
  page: { url: string; sections: string[] }
  /**
   * Consent as it stands: aborted while consent is pending or withdrawn, replaced when it is given
   * again. Reports (and their retries) go with its signal, so none leaves after a withdrawal.
   */
  grant: AbortController
  /**
   * The running check's, until it ends: aborted when a newer check, `newPage` or `consent(false)`
   * replaces it.
   */
  inflight?: AbortController
  /** Whether the first check may go: `autoStart: false` holds it until `lpTag.start()`. */
  started: boolean
  /** Whether a check of this page view got an answer (replaced ones do not count). */
  answered?: boolean
  /** The offer on the page, if any. */
  current?: Offer
  /** An offer waiting for its UI. */
  starting?: Starting
  /** The offers (`campaignId_engagementId`) the visitor accepted or declined: a check the tag makes by itself does not show them again. */
  decided: Set<string>
  /** What the page's last `getEngagement` asked for on this page view, repeated by the checks the tag makes by itself. */
  asked: EngagementRequest
}

/** The running tag. */
export type Tag = Setup & Services & PageView

export const notAvailable = (error: TagError): EngagementResult => ({ status: 'NotAvailable', error })
