import { isId } from '../ids.ts'
import type { OpenConversation } from '../types.ts'

/** An `expose` entry of `engagementDetails`, checked. */
export interface ExposedEngagement {
  campaignId: number | string
  engagementId: number | string
  engagementRevision: number | string
  contextId: string
  windowId?: string
  language?: string
  connectorId?: number | string
  validForSeconds?: number
  skillId?: number
  skillName?: string
}

/** What one attempt's answer means for the retry policy (contract section 5). */
export type Outcome =
  | { kind: 'ok'; vid: string; sid: string; pageId?: string; offer?: ExposedEngagement; conversation?: OpenConversation }
  | { kind: 'loading'; vid?: string }
  | { kind: 'retry' }
  | { kind: 'forget' }
  | { kind: 'reject'; message: string }

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
const isNumeric = (v: unknown): v is number | string =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,20}$/.test(v))
/** Short printable text: API strings end up in events, the DOM and the console. */
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 200 && !/[\0-\x1f\x7f]/.test(v)

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function exposed(d: Json): ExposedEngagement | undefined {
  const { campaignId, engagementId, engagementRevision, contextId } = d
  const context = typeof contextId === 'number' ? String(contextId) : contextId
  if (!isNumeric(campaignId) || !isNumeric(engagementId) || !isNumeric(engagementRevision) || !isText(context) || !context) return undefined
  const offer: ExposedEngagement = { campaignId, engagementId, engagementRevision, contextId: context }
  if (isText(d.windowId) || isNumeric(d.windowId)) offer.windowId = String(d.windowId)
  if (isText(d.language)) offer.language = d.language
  if (isNumeric(d.connectorId)) offer.connectorId = d.connectorId
  if (typeof d.validForSeconds === 'number' && d.validForSeconds > 0 && d.validForSeconds <= 86400) offer.validForSeconds = d.validForSeconds
  if (typeof d.skillId === 'number' && Number.isSafeInteger(d.skillId)) offer.skillId = d.skillId
  if (isText(d.skillName)) offer.skillName = d.skillName
  return offer
}

function conversation(d: Json): OpenConversation | undefined {
  const { conversationId, campaignId, engagementId, connectorId } = d
  if (!isText(conversationId) || !isNumeric(campaignId) || !isNumeric(engagementId)) return undefined
  return { conversationId, campaignId, engagementId, ...(isNumeric(connectorId) ? { connectorId } : {}) }
}

function success(body: unknown): Outcome {
  if (!isObject(body) || !isId(body.visitorId) || !isId(body.sessionId)) return { kind: 'retry' }
  const details = body.engagementDetails
  if (details !== undefined && !Array.isArray(details)) return { kind: 'retry' }
  const pageId = isNumeric(body.pageId) || isId(body.pageId) ? String(body.pageId) : undefined
  const outcome: Outcome = { kind: 'ok', vid: body.visitorId, sid: body.sessionId, ...(pageId ? { pageId } : {}) }
  const entries = (details ?? []).filter(isObject)
  // An open conversation wins over any offer: the visitor is already talking to the brand.
  for (const d of entries) {
    const open = (d.status === 'conversation' || d.status === 'interaction') && conversation(d)
    if (open) return { ...outcome, conversation: open }
  }
  for (const d of entries) {
    const offer = d.status === 'expose' && exposed(d)
    if (offer) return { ...outcome, offer }
  }
  return outcome
}

/**
 * Reads one answer. The body is parsed as JSON whatever its Content-Type: the real service was
 * seen answering `application/octet-stream` (reference: monitoring-api-notes, Sessions).
 */
export function readAnswer(status: number, text: string): Outcome {
  const body = parse(text)
  const code = isObject(body) ? body.internalCode : undefined
  const message = isObject(body) && typeof body.message === 'string' ? body.message : ''
  // "Loading account: X, vid: Y" — 202/38 in v1.1, 500/20 in v1.0; the retry must carry Y as vid.
  if ((status === 202 && code === 38) || (status === 500 && code === 20)) {
    const vid = /vid:\s*([^\s,]+)/.exec(message)?.[1]
    return { kind: 'loading', ...(isId(vid) ? { vid } : {}) }
  }
  if (status === 200 || status === 201) return success(body)
  if (status === 404 && (code === 37 || code === 39)) return { kind: 'forget' }
  if (status >= 400 && status < 500) {
    const text = message.replace(/[\0-\x1f\x7f]/g, ' ').slice(0, 300)
    return { kind: 'reject', message: `HTTP ${status}${typeof code === 'number' ? `/${code}` : ''}${text ? `: ${text}` : ''}` }
  }
  return { kind: 'retry' }
}
