import type { EngagementDetails } from '../types.ts'
import type { Endpoint } from './request.ts'
import { methodUrl } from './request.ts'
import { sendWithRetry, type Final } from './retry.ts'
import { logAnswer } from '../lib/log.ts'

export type ImpressionType = 'impDisplay' | 'impAccept' | 'impTimeout' | 'impClose'

/** The session a report belongs to: impressions count only in the session that got the engagement. */
export interface ReportSession {
  vid: string
  sid: string
  pageId?: string
}

/** The offer an impression is about. */
type ImpressionOffer = Pick<EngagementDetails, 'campaignId' | 'engagementId' | 'engagementRevision' | 'contextId'>

/** An impression event (reference: monitoring-api-notes, Report method); display and accept carry the context. */
export function impression(type: ImpressionType, offer: ImpressionOffer) {
  return {
    type,
    campaign: offer.campaignId,
    engId: offer.engagementId,
    revision: offer.engagementRevision,
    ...(type === 'impDisplay' || type === 'impAccept' ? { eContext: [{ type: 'engagementContext', id: offer.contextId }] } : {}),
  }
}

/** Whether a request was delivered: answered, refused for good (a 4xx), or neither (replaced, no answer). */
export const delivered = (final: Final) => (final.kind === 'ok' ? true : final.kind === 'reject' ? false : undefined)

/**
 * Sends engagement attributes (impressions, SDEs) with the Report method, in `session`, while
 * `grant` holds: consent withdrawn, nothing more is sent, retries included.
 */
export function sendReport(endpoint: Endpoint, session: ReportSession, attributes: object[], grant: AbortSignal): Promise<boolean | undefined> {
  const body = JSON.stringify({ ...(session.pageId ? { pageId: session.pageId } : {}), engagementAttributes: attributes })
  return sendWithRetry(
    () => methodUrl(endpoint, 'report', session.vid, session.sid),
    body,
    {},
    grant,
    { retry() {}, forget() {}, answer: logAnswer },
    true,
  ).then(delivered)
}
