import type { Hooks } from '../compat/hooks.ts'
import type { TagConfig } from '../config/resolve.ts'
import type { Bus } from '../events/bus.ts'
import type { Session, Settle } from '../pageview/state.ts'
import type { EngagementResult } from '../types.ts'
import type { OfferUi } from './ui.ts'

/**
 * What the offer chunk (`dist/offer.<hash>.js`, the offer's lifecycle) gets from the tag that
 * loaded it. The build shortens the `_` names the same way in every file it makes.
 */
export interface OfferContext {
  config_: TagConfig
  /** `lpTag.engagements` as the pre-load object gave it: an inline catalog when it is an object. */
  catalog_: unknown
  bus_: Bus
  hooks_: Hooks
  /** The page view's intents the offer sends, and what it asks of it. */
  page_: {
    offerStarted_(id: number, data: object): void
    offerEnded_(id: number, byVisitor?: boolean): void
    report_(session: Session, engagementAttributes: object[], done?: Settle): void
    consented_(): boolean
  }
  /** The offer UI, loaded once; undefined where it cannot be (one console line says why). */
  ui_(): Promise<OfferUi | undefined>
}

/** The offer chunk's lifecycle, made once per page from the context. */
export interface Lifecycle {
  /** The catalog's validity (seconds) for engagement `engagementId`, the catalog loaded once. */
  validity_(engagementId: string): Promise<number | undefined>
  /** Shows offer `id` for `result`: it tells the page view how it goes (`offerStarted_`, `offerEnded_`). */
  start_(id: number, result: EngagementResult): void
  /** Ends the offer on the page, or one about to start, without a visitor's decision. */
  end_(): void
  /** Accepts the offer showing as the visitor would (`rendererStub.click`): false when none can be. */
  accept_(): boolean
}

export type CreateLifecycle = (context: OfferContext) => Lifecycle
