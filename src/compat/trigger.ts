import { copy } from '../lib/checks.ts'
import type { Offer } from '../offer/lifecycle.ts'

/**
 * `lpTag.taglets.rendererStub`: LivePerson's Engagement Trigger API, which proactive scripts use
 * to accept an offer for the visitor. Ids compare as text: the API may give them as numbers.
 */
export function rendererStub(current: () => Offer | undefined) {
  const showing = (engagementId: unknown) => {
    const offer = current()
    // Only an id, as text or number: `String()` of a page's object may throw (a revoked Proxy, a
    // throwing `toString`, `Object.create(null)`).
    return offer && (typeof engagementId === 'string' || typeof engagementId === 'number') && String(offer.data.engagementId) === String(engagementId) ? offer : undefined
  }
  return {
    /** Accepts the offer showing for `engagementId` as if the visitor had; false when none shows. */
    click(engagementId: unknown): boolean {
      return !!showing(engagementId)?.accept()
    },
    /** The engagement's event data while it shows, else `{}`. */
    getEngagementInfo: (engagementId: unknown) => copy(showing(engagementId)?.data) ?? {},
    /** `state` 1 (online) while it shows, else 0 (not available); offers are only shown online. */
    getEngagementState: (engagementId: unknown) =>
      showing(engagementId) ? { state: 1, desc: 'online', engagementId } : { state: 0, desc: 'NA', engagementId },
  }
}
