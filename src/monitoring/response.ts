import { dict, isId, isNumericId, isObject, isText, isValidity, own } from '../lib/checks.ts'
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

/**
 * The ids of an `expose` or `conversation` entry, own fields only; the context as text. Undefined
 * unless each id is one: whatever the answer gives ends up in URLs, events and the DOM.
 */
function ids(entry: unknown, names: string[]): Record<string, unknown> | undefined {
  const found: Record<string, unknown> = dict({})
  for (const name of names) {
    const value = own(entry, name)
    found[name] = name === 'contextId' && typeof value === 'number' ? '' + value : value
    // `contextId` and `conversationId` are text, the others numeric ids.
    if (!(/^con/.test(name) ? isText(found[name]) && found[name] : isNumericId(value))) return
  }
  return found
}

/** An offer: the ids, and the optional fields that are what they should be. */
function exposed(entry: unknown): ExposedEngagement | undefined {
  const offer = ids(entry, ['contextId', 'campaignId', 'engagementId', 'engagementRevision'])
  if (!offer) return
  const field = (name: string, valid: boolean | unknown, as?: (value: any) => unknown) => {
    const value = own(entry, name)
    if (valid && (valid === true ? value !== undefined : (valid as (value: unknown) => boolean)(value))) offer[name] = as ? as(value) : value
  }
  field('windowId', (value: unknown) => isText(value) || isNumericId(value), String)
  field('language', isText)
  field('connectorId', isNumericId)
  field('validForSeconds', isValidity)
  field('skillId', Number.isSafeInteger)
  field('skillName', isText)
  return offer as ExposedEngagement
}

function success(body: unknown): Outcome {
  const [vid, sid, pageId, details] = ['visitorId', 'sessionId', 'pageId', 'engagementDetails'].map((name) => own(body, name))
  if (!isId(vid) || !isId(sid) || (details !== undefined && !Array.isArray(details))) return { kind: 'retry' }
  // Every field own, also when absent: a polluted Object.prototype must not add an offer or a conversation.
  const outcome: Outcome = { kind: 'ok', vid, sid, pageId: isNumericId(pageId) || isId(pageId) ? '' + pageId : undefined, offer: undefined, conversation: undefined }
  const entries = (details ?? []).filter(isObject)
  // An open conversation wins over any offer: the visitor is already talking to the brand.
  for (const entry of entries) {
    const status = own(entry, 'status')
    const open = (status === 'conversation' || status === 'interaction') && ids(entry, ['conversationId', 'campaignId', 'engagementId'])
    if (open) {
      if (isNumericId(own(entry, 'connectorId'))) open.connectorId = own(entry, 'connectorId')
      return { ...outcome, conversation: open as unknown as OpenConversation }
    }
  }
  for (const entry of entries) {
    const offer = own(entry, 'status') === 'expose' && exposed(entry)
    if (offer) return { ...outcome, offer }
  }
  return outcome
}

/**
 * Reads one answer. The body is parsed as JSON whatever its Content-Type: the real service was
 * seen answering `application/octet-stream` (reference: monitoring-api-notes, Sessions). No
 * reviver: JSON.parse itself nests as deep as the text does, a reviver's walk would recurse on the
 * page's stack; fields are read as own properties instead.
 */
export function readAnswer(status: number, text: string): Outcome {
  let body: unknown
  try {
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
  if (status > 399 && status < 500) {
    const text = message.replace(/[\0-\x1f\x7f]/g, ' ').slice(0, 300)
    return { kind: 'reject', message: `HTTP ${status}${typeof code === 'number' ? '/' + code : ''}${text && ': ' + text}` }
  }
  return { kind: 'retry' }
}
