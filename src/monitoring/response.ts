import { isId, isNumericId, isObject, isValidity, own } from '../lib/checks.ts'
import type { EngagementDetails, OpenConversation } from '../types.ts'

/** An `expose` entry of `engagementDetails`, checked: its validity may still come from the catalog. */
export type ExposedEngagement = Omit<EngagementDetails, 'validForSeconds'> & Partial<Pick<EngagementDetails, 'validForSeconds'>>

/** What one attempt's answer means for the retry policy (contract section 5). */
export type Outcome =
  | { kind: 'ok'; vid: string; sid: string; pageId?: string; offer?: ExposedEngagement; conversation?: OpenConversation }
  | { kind: 'loading'; vid?: string }
  | { kind: 'retry' }
  | { kind: 'forget' }
  | { kind: 'reject'; message: string }

type Json = Record<string, unknown>

/**
 * The named fields of a parsed answer, own properties only (in an object without a prototype): a
 * field the answer leaves out reads as undefined, whatever a page added to Object.prototype.
 */
const fields = (from: unknown, names: string): Json => {
  const picked: Json = Object.create(null)
  for (const name of names.split(' ')) picked[name] = own(from, name)
  return picked
}

/** Short printable text: API strings end up in events, the DOM and the console. */
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 200 && !/[\0-\x1f\x7f]/.test(v)

function exposed(entry: Json): ExposedEngagement | undefined {
  const d = fields(entry, 'campaignId engagementId engagementRevision contextId windowId language connectorId validForSeconds skillId skillName')
  const { campaignId, engagementId, engagementRevision, contextId } = d
  const context = typeof contextId === 'number' ? String(contextId) : contextId
  if (!isNumericId(campaignId) || !isNumericId(engagementId) || !isNumericId(engagementRevision) || !isText(context) || !context) return undefined
  // No prototype: an optional field the answer left out must not come from a polluted Object.prototype.
  const offer = { __proto__: null, campaignId, engagementId, engagementRevision, contextId: context } as ExposedEngagement
  if (isText(d.windowId) || isNumericId(d.windowId)) offer.windowId = String(d.windowId)
  if (isText(d.language)) offer.language = d.language
  if (isNumericId(d.connectorId)) offer.connectorId = d.connectorId
  if (isValidity(d.validForSeconds)) offer.validForSeconds = d.validForSeconds
  if (typeof d.skillId === 'number' && Number.isSafeInteger(d.skillId)) offer.skillId = d.skillId
  if (isText(d.skillName)) offer.skillName = d.skillName
  return offer
}

function conversation(entry: Json): OpenConversation | undefined {
  const { conversationId, campaignId, engagementId, connectorId } = fields(entry, 'conversationId campaignId engagementId connectorId')
  if (!isText(conversationId) || !isNumericId(campaignId) || !isNumericId(engagementId)) return undefined
  return { conversationId, campaignId, engagementId, ...(isNumericId(connectorId) ? { connectorId } : {}) }
}

function success(answer: unknown): Outcome {
  const body = fields(answer, 'visitorId sessionId engagementDetails pageId')
  if (!isObject(answer) || !isId(body.visitorId) || !isId(body.sessionId)) return { kind: 'retry' }
  const details = body.engagementDetails
  if (details !== undefined && !Array.isArray(details)) return { kind: 'retry' }
  const pageId = isNumericId(body.pageId) || isId(body.pageId) ? String(body.pageId) : undefined
  // Every field own, also when absent: a polluted Object.prototype must not add an offer or a conversation.
  const outcome: Outcome = { kind: 'ok', vid: body.visitorId, sid: body.sessionId, pageId, offer: undefined, conversation: undefined }
  const entries = (details ?? []).filter(isObject)
  // An open conversation wins over any offer: the visitor is already talking to the brand.
  for (const d of entries) {
    const status = own(d, 'status')
    const open = (status === 'conversation' || status === 'interaction') && conversation(d)
    if (open) return { ...outcome, conversation: open }
  }
  for (const d of entries) {
    const offer = own(d, 'status') === 'expose' && exposed(d)
    if (offer) return { ...outcome, offer }
  }
  return outcome
}

/**
 * Reads one answer. The body is parsed as JSON whatever its Content-Type: the real service was
 * seen answering `application/octet-stream` (reference: monitoring-api-notes, Sessions).
 */
export function readAnswer(status: number, text: string): Outcome {
  let body: unknown
  try {
    // No reviver: JSON.parse itself nests as deep as the text does, a reviver's walk would recurse
    // on the page's stack. Fields are read as own properties instead (`fields`).
    body = JSON.parse(text)
  } catch {}
  const code = own(body, 'internalCode')
  const given = own(body, 'message')
  const message = typeof given === 'string' ? given : ''
  // "Loading account: X, vid: Y" — 202/38 in v1.1, 500/20 in v1.0; the retry must carry Y as vid.
  if ((status === 202 && code === 38) || (status === 500 && code === 20)) {
    const vid = /vid:\s*([^\s,]+)/.exec(message)?.[1]
    return { kind: 'loading', vid: isId(vid) ? vid : undefined }
  }
  if (status === 200 || status === 201) return success(body)
  if (status === 404 && (code === 37 || code === 39)) return { kind: 'forget' }
  if (status >= 400 && status < 500) {
    const text = message.replace(/[\0-\x1f\x7f]/g, ' ').slice(0, 300)
    return { kind: 'reject', message: `HTTP ${status}${typeof code === 'number' ? `/${code}` : ''}${text ? `: ${text}` : ''}` }
  }
  return { kind: 'retry' }
}
