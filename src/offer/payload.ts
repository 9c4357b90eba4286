import { hasOwn } from '../lib/checks.ts'
import type { ExposedEngagement } from '../monitoring/response.ts'
import type { Format, OfferEvent } from '../types.ts'

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
export function offerEventData(
  offer: ExposedEngagement,
  pageId: string,
  format: Format,
  zone = '0',
  name = String(offer.engagementId),
): OfferEvent {
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
    // What proactive scripts written for LivePerson's tag read (`data.windowId`), when the API gave it.
    ...pick(offer, ['windowId', 'skillId', 'skillName', 'language']),
  }
}

/** The fields of `from` that are there (own, defined). */
const pick = <T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> => {
  const picked: Partial<Pick<T, K>> = {}
  for (const key of keys) if (hasOwn(from, key as string) && from[key] !== undefined) picked[key] = from[key]
  return picked
}
