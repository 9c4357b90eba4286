import { test, expect } from '@playwright/test'
import fc from 'fast-check'
import { readAnswer } from './response.ts'
import { isId } from '../lib/checks.ts'

const session = { sessionId: 'abc', visitorId: 'xyz', pageId: '595933432' }

test.describe('readAnswer', () => {
  test('201 with an exposed engagement (reference example)', () => {
    const body = {
      ...session,
      engagementDetails: [{ campaignId: 880524023, engagementId: 880524123, engagementRevision: 21, contextId: '1', connectorId: 2642324112, status: 'expose' }],
    }
    expect(readAnswer(201, JSON.stringify(body))).toEqual({
      kind: 'ok',
      vid: 'xyz',
      sid: 'abc',
      pageId: '595933432',
      offer: { campaignId: 880524023, engagementId: 880524123, engagementRevision: 21, contextId: '1', connectorId: 2642324112 },
    })
  })

  test('200 with an open conversation wins over an offer listed before it', () => {
    const body = {
      ...session,
      engagementDetails: [
        { campaignId: 1, engagementId: 2, engagementRevision: 3, contextId: '1', status: 'expose' },
        { campaignId: 880524423, engagementId: 880524523, engagementRevision: 23, conversationId: 'fdasfdas', connectorId: 2642324112, status: 'conversation' },
      ],
    }
    expect(readAnswer(200, JSON.stringify(body))).toEqual({
      kind: 'ok',
      vid: 'xyz',
      sid: 'abc',
      pageId: '595933432',
      conversation: { conversationId: 'fdasfdas', campaignId: 880524423, engagementId: 880524523, connectorId: 2642324112 },
    })
  })

  test('no engagementDetails: ok without an offer; unknown fields ignored', () => {
    expect(readAnswer(200, JSON.stringify({ ...session, futureField: { x: 1 } }))).toEqual({ kind: 'ok', vid: 'xyz', sid: 'abc', pageId: '595933432' })
  })

  test('an expose entry with missing ids is skipped, not trusted', () => {
    const body = { ...session, engagementDetails: [{ status: 'expose', campaignId: 'DROP TABLE', engagementId: 1, engagementRevision: 1, contextId: '1' }] }
    expect(readAnswer(201, JSON.stringify(body))).toEqual({ kind: 'ok', vid: 'xyz', sid: 'abc', pageId: '595933432' })
  })

  test('"Loading account" in both versions yields the vid from the message', () => {
    const message = 'Loading account: ta3hWd4IgG, vid: myVisitorId'
    expect(readAnswer(202, JSON.stringify({ time: 1501074704502, message, internalCode: 38 }))).toEqual({ kind: 'loading', vid: 'myVisitorId' })
    expect(readAnswer(500, JSON.stringify({ time: 1501074704502, message, internalCode: 20 }))).toEqual({ kind: 'loading', vid: 'myVisitorId' })
    expect(readAnswer(202, JSON.stringify({ message: 'Loading account: x, vid: \u0000bad', internalCode: 38 }))).toEqual({ kind: 'loading' })
  })

  test('the retry table', () => {
    expect(readAnswer(503, '')).toEqual({ kind: 'retry' })
    expect(readAnswer(500, '{"internalCode":18}')).toEqual({ kind: 'retry' })
    expect(readAnswer(0, '')).toEqual({ kind: 'retry' })
    expect(readAnswer(200, '<html>')).toEqual({ kind: 'retry' })
    expect(readAnswer(201, '{"sessionId":"abc"}')).toEqual({ kind: 'retry' })
    expect(readAnswer(201, JSON.stringify({ ...session, engagementDetails: {} }))).toEqual({ kind: 'retry' })
    expect(readAnswer(201, JSON.stringify({ ...session, visitorId: 'x'.repeat(129) }))).toEqual({ kind: 'retry' })
    expect(readAnswer(202, '')).toEqual({ kind: 'retry' })
    expect(readAnswer(404, '{"internalCode":37}')).toEqual({ kind: 'forget' })
    expect(readAnswer(404, '{"internalCode":39}')).toEqual({ kind: 'forget' })
    expect(readAnswer(404, '{"internalCode":18,"message":"invalid appInstallationId"}')).toEqual({ kind: 'reject', message: 'HTTP 404/18: invalid appInstallationId' })
    expect(readAnswer(400, '{"internalCode":33,"message":"Illegal\\nversion"}')).toEqual({ kind: 'reject', message: 'HTTP 400/33: Illegal version' })
    expect(readAnswer(401, 'nope')).toEqual({ kind: 'reject', message: 'HTTP 401' })
  })

  test('never throws, and whatever it accepts is safe to store and show', () => {
    const detail = fc.record({
      status: fc.constantFrom('expose', 'conversation', 'interaction', 'other'),
      campaignId: fc.oneof(fc.integer(), fc.string(), fc.double()),
      engagementId: fc.oneof(fc.nat(), fc.string()),
      engagementRevision: fc.oneof(fc.nat(), fc.string()),
      contextId: fc.oneof(fc.string(), fc.nat()),
      conversationId: fc.string(),
      validForSeconds: fc.oneof(fc.double(), fc.integer()),
      skillName: fc.string({ maxLength: 300 }),
    }, { requiredKeys: [] })
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({ sessionId: fc.string(), visitorId: fc.string(), pageId: fc.anything(), engagementDetails: fc.array(detail, { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 599 }), body, (status, text) => {
        const outcome = readAnswer(status, text)
        if (outcome.kind === 'ok') {
          expect(isId(outcome.vid) && isId(outcome.sid)).toBe(true)
          if (outcome.offer) expect(outcome.offer.contextId).toMatch(/^[^\u0000-\u001f]{1,200}$/)
        }
        if (outcome.kind === 'reject') expect(outcome.message).not.toMatch(/[\u0000-\u001f]/)
      }),
      { numRuns: 2000 },
    )
  })
})
