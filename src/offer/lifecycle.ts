import type { Tag } from '../engagement.ts'
import type { EngagementResult } from '../types.ts'
import { offerEventData } from './payload.ts'

/** Announces an available engagement as an offer (`LP_OFFERS`/`START`). */
export function startOffer(tag: Tag, result: EngagementResult): void {
  const details = result.engagementDetails
  if (!details) return
  tag.bus.trigger('LP_OFFERS', 'START', offerEventData(details, result.pageId ?? '', tag.config.format))
}
