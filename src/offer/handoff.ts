import { hasOwn, own } from '../lib/checks.ts'
import { pageLanguage } from '../lib/page.ts'
import type { Session } from '../pageview/state.ts'
import type { EngagementDetails, Handoff } from '../types.ts'

/** Fills the click URL's placeholders, each URL-encoded; anything but http(s) is not opened. */
export function clickUrl(template: string, values: Record<string, string>): string | undefined {
  // Own keys only: with `in`, `{constructor}` or `{toString}` would put a function's source in the URL.
  const url = template.replace(/\{(\w+)\}/g, (match, name: string) => (hasOwn(values, name) ? encodeURIComponent(values[name]!) : match))
  return /^https?:\/\//i.test(url) ? url : undefined
}

/**
 * An optional field the API gave, as text; '' when it gave none. Own fields only: a polluted
 * `Object.prototype.language` is not the API's.
 */
const given = (from: object, field: string) => String(own(from, field) ?? '')

/** The click URL of an accepted offer: what the API did not give fills its placeholder with nothing. */
export const acceptUrl = (template: string, account: string, details: EngagementDetails, session: Session) =>
  clickUrl(template, {
    account,
    campaignId: String(details.campaignId),
    engagementId: String(details.engagementId),
    contextId: details.contextId,
    vid: session.vid,
    sid: session.sid,
    windowId: given(details, 'windowId'),
    skillId: given(details, 'skillId'),
    language: given(details, 'language'),
    pageId: given(session, 'pageId'),
  })

/**
 * What the page needs to start the accepted conversation (contract section 3, `OFFER_CLICK`): ids
 * as text, as `ConsumerRequestConversation` takes them.
 */
export function handoff(details: EngagementDetails, session: Session): Handoff {
  const optional: Partial<Handoff> = {}
  for (const field of ['windowId', 'skillId', 'skillName', 'connectorId'] as const) if (given(details, field)) optional[field] = given(details, field)
  if (given(session, 'pageId')) optional.pageId = given(session, 'pageId')
  return {
    campaignInfo: { campaignId: String(details.campaignId), engagementId: String(details.engagementId) },
    conversationContext: {
      type: 'SharkContext',
      visitorId: session.vid,
      sessionId: session.sid,
      interactionContextId: details.contextId,
      lang: given(details, 'language') || pageLanguage() || 'en-US',
    },
    ...optional,
  }
}
