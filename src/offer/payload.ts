import type { ExposedEngagement } from '../monitoring/response.ts'

export type Format = 'peeling' | 'overlay' | 'toaster' | 'slideout' | 'embedded' | 'sticky'

/** `engagementType` numbers and `tglName`s (reference: le-tag-engagement-events, START). */
export const FORMATS: Record<Format, [type: number, tglName: string]> = {
  peeling: [0, 'peeling'],
  overlay: [1, 'overlay'],
  toaster: [2, 'toaster'],
  slideout: [3, 'slider'],
  embedded: [5, 'embedded'],
  sticky: [6, 'sticky'],
}

/** The data of every `LP_OFFERS` event for one offer (contract section 3). */
export interface OfferEventData {
  contexts: [{ EngagementContext: { id: string } }, { pageContext: { id: string } }]
  campaignId: number | string
  engagementId: number | string
  engagementRevision: number | string
  engagementType: number
  contextId: string
  zoneId: string
  state: number
  confKey: string
  tglName: string
  done: true
  engagementName: string
}

export function offerEventData(
  offer: ExposedEngagement,
  pageId: string,
  format: Format,
  zone = '0',
  name = String(offer.engagementId),
): OfferEventData {
  const [engagementType, tglName] = FORMATS[format]
  return {
    contexts: [{ EngagementContext: { id: offer.contextId } }, { pageContext: { id: pageId } }],
    campaignId: offer.campaignId,
    engagementId: offer.engagementId,
    engagementRevision: offer.engagementRevision,
    engagementType,
    contextId: offer.contextId,
    zoneId: zone,
    state: 1,
    confKey: `${offer.campaignId}_${offer.engagementId}_${offer.engagementRevision}`,
    tglName,
    done: true,
    engagementName: name,
  }
}
