import { copy } from '../lib/checks.ts'

/** The offer slot as the page view keeps it: its `LP_OFFERS` data from START on. */
type Slot = { data_?: object } | undefined

/**
 * `lpTag.taglets.rendererStub`: LivePerson's Engagement Trigger API, which proactive scripts use
 * to accept an offer for the visitor. It answers at once, from the page view's offer slot. Ids
 * compare as text (the API may give them as numbers); anything but an id finds nothing:
 * `String()` of a page's object may throw (a revoked Proxy, a throwing `toString`).
 */
export function rendererStub(offer: () => Slot, accept: () => boolean | undefined) {
  const showing = (engagementId: unknown) => {
    const data = offer()?.data_ as { engagementId: unknown } | undefined
    return !!data && (typeof engagementId === 'string' || typeof engagementId === 'number') && String(data.engagementId) === String(engagementId) && data
  }
  return {
    /** Accepts the offer showing for `engagementId` as if the visitor had; false when none shows. */
    click: (engagementId: unknown): boolean => !!showing(engagementId) && !!accept(),
    /** The engagement's event data while it shows, else `{}`. */
    getEngagementInfo: (engagementId: unknown) => copy(showing(engagementId) || {}),
    /** `state` 1 (online) while it shows, else 0 (not available); offers are only shown online. */
    getEngagementState: (engagementId: unknown) => (showing(engagementId) ? { state: 1, desc: 'online', engagementId } : { state: 0, desc: 'NA', engagementId }),
  }
}
