import { test, expect, waitForRequests, waitForEvent, fired, freezeTime, engagementFetches, ACCOUNT, type Emulator } from './support/fixtures.ts'

const PAUSES = [3000, 10_000, 30_000, 90_000]

test.describe('responses and the retry policy', () => {
  test('201 with an exposed engagement: Available, ids kept, START published', async ({ page, emulator, openTagPage, consoleLines }) => {
    await page.addInitScript(() => {
      ;(window as any).lpTag = { onEngagement: (result: unknown) => ((window as any).seen = result) }
    })
    await openTagPage()
    const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const result = engagement!.data
    const [session] = emulator.sessions(ACCOUNT)
    expect(emulator.received('engagement')[0]!.status).toBe(201)
    expect(result).toEqual({
      status: 'Available',
      sessionId: session!.sid,
      visitorId: session!.vid,
      pageId: expect.stringMatching(/^\d+$/),
      engagementDetails: expect.objectContaining({ contextId: '1', validForSeconds: expect.any(Number), engagementId: expect.anything() }),
    })
    expect(await page.evaluate(() => (window as any).seen)).toEqual(result)

    // START comes once the offer UI is there, after the answer.
    const [start] = await waitForEvent(page, 'LP_OFFERS', 'START')
    const d = result.engagementDetails
    expect(start!.data).toEqual({
      contexts: [{ EngagementContext: { id: '1' } }, { pageContext: { id: result.pageId } }],
      campaignId: d.campaignId,
      engagementId: d.engagementId,
      engagementRevision: d.engagementRevision,
      engagementType: 3,
      contextId: '1',
      zoneId: '0',
      state: 1,
      confKey: `${d.campaignId}_${d.engagementId}_${d.engagementRevision}`,
      tglName: 'slider',
      done: true,
      engagementName: String(d.engagementId),
      windowId: d.windowId,
      language: d.language,
    })
    expect(consoleLines).toEqual([])
  })

  test.describe('no engagement', () => {
    test.use({ campaigns: { accounts: { [ACCOUNT]: { apps: ['a1b2c3'], campaigns: [] } } } })
    test('200/201 without engagementDetails: NotAvailable, no offer', async ({ page, openTagPage, consoleLines }) => {
      await openTagPage()
      const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(engagement!.data).toEqual({ status: 'NotAvailable', sessionId: expect.any(String), visitorId: expect.any(String), pageId: expect.any(String) })
      expect(await fired(page, 'LP_OFFERS')).toEqual([])
      expect(consoleLines).toEqual([])
    })
  })

  test('an open conversation: CONVERSATION, no offer', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    // The first check's offer started (a newer check before that would make it stale: no offer).
    await waitForEvent(page, 'LP_OFFERS', 'START')
    const conversation = { conversationId: 'fdasfdas', campaignId: 880524423, engagementId: 880524523, engagementRevision: 23, connectorId: 2642324112 }
    emulator.openConversation(ACCOUNT, first!.data.visitorId, conversation)
    const result = await page.evaluate(() => (window as any).lpTag.getEngagement())
    const { engagementRevision, ...expected } = conversation
    expect(result).toEqual({ status: 'NotAvailable', sessionId: first!.data.sessionId, visitorId: first!.data.visitorId, pageId: expect.any(String), conversation: expected })
    expect((await fired(page, 'LP_TAG', 'CONVERSATION')).map((e) => e.data)).toEqual([expected])
    expect(await fired(page, 'LP_OFFERS', 'START')).toHaveLength(1) // the first check's offer only
  })

  for (const [version, status, internalCode] of [['1.1', 202, 38], ['1.0', 500, 20]] as const) {
    test(`loading account (v${version}, ${status}/${internalCode}): retried after 3 s with the vid from the message`, async ({ page, emulator, openTagPage, consoleLines }) => {
      emulator.warmUp(ACCOUNT, 1)
      await freezeTime(page)
      await openTagPage({ attrs: { 'api-version': version } })
      const [retry] = await waitForEvent(page, 'LP_TAG', 'RETRY')
      expect(retry!.data).toEqual({ attempt: 1, delayMs: 3000, status })
      const [loading] = emulator.received('engagement')
      expect([loading!.status, loading!.query.vid]).toEqual([status, undefined])

      await page.clock.runFor(2999)
      expect(await engagementFetches(page)).toHaveLength(1)
      await page.clock.runFor(1)
      const requests = await waitForRequests(emulator, 2)
      // The first request had no vid: the retry's can only come from the "Loading account" message,
      // and the session the emulator then opened is that visitor's.
      const vid = requests[1]!.query.vid
      expect(vid).toMatch(/^[A-Za-z0-9]{20,32}$/)
      const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(engagement!.data.visitorId).toBe(vid)
      expect(emulator.sessions(ACCOUNT).map((s) => s.vid)).toEqual([vid])
      expect(consoleLines).toEqual([])
    })
  }

  test('5xx: four retries after exactly 3, 10, 30 and 90 s, then unavailable', async ({ page, emulator, openTagPage, consoleLines }) => {
    emulator.fault({ status: 503, count: 5 })
    await freezeTime(page)
    await openTagPage()
    for (const [i, pause] of PAUSES.entries()) {
      await waitForEvent(page, 'LP_TAG', 'RETRY', i + 1)
      await page.clock.runFor(pause - 1)
      expect(await engagementFetches(page)).toHaveLength(i + 1)
      await page.clock.runFor(1)
      await expect.poll(async () => (await engagementFetches(page)).length).toBe(i + 2)
    }
    const fetches = await engagementFetches(page)
    expect(fetches.slice(1).map((f, i) => f.at - fetches[i]!.at)).toEqual(PAUSES)
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.code).toBe('unavailable')
    expect((await fired(page, 'LP_TAG', 'RETRY')).map((e) => e.data)).toEqual(PAUSES.map((delayMs, i) => ({ attempt: i + 1, delayMs, status: 503 })))
    const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
    expect(engagement!.data).toEqual({ status: 'NotAvailable', error: error!.data })
    expect(emulator.received('engagement').map((r) => r.status)).toEqual([503, 503, 503, 503, 503])

    // Giving up is final: no fifth retry, however long the page stays open.
    await page.clock.runFor(600_000)
    expect(await engagementFetches(page)).toHaveLength(5)
    expect(consoleLines.map((l) => l.type)).toEqual(['error'])
    expect(consoleLines[0]!.text).toContain('unavailable')
  })

  const transient: [string, Parameters<Emulator['fault']>[0]][] = [
    ['500 with internalCode 18', { status: 500, internalCode: 18 }],
    ['a 2xx body that is not the documented JSON', { status: 200, body: '<html><body>Service Unavailable</body></html>' }],
    ['a 2xx body with wrong types', { status: 201, body: '{"sessionId": 5, "visitorId": ["x"], "pageId": "1"}' }],
    ['a truncated body', { status: 201, body: '{"sessionId":"abc","visitorId":"xy' }],
  ]
  for (const [name, fault] of transient) {
    test(`${name} is retried after 3 s`, async ({ page, emulator, openTagPage }) => {
      emulator.fault(fault)
      await freezeTime(page)
      await openTagPage()
      const [retry] = await waitForEvent(page, 'LP_TAG', 'RETRY')
      expect(retry!.data.delayMs).toBe(3000)
      await page.clock.runFor(3000)
      const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(engagement!.data.status).toBe('Available')
      expect(emulator.received('engagement')).toHaveLength(2)
    })
  }

  test('404/37 and 404/39: the stored ids are forgotten and the request is sent once more at once', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    const [first] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    // The emulator answers 404/37 to a vid it cannot have minted.
    const result = await page.evaluate(() => (window as any).lpTag.getEngagement({ vid: 'not-a-vid' }))
    const requests = emulator.received('engagement')
    expect(requests.map((r) => r.status)).toEqual([201, 404, 201])
    expect(requests[1]!.query.vid).toBe('not-a-vid')
    expect([requests[2]!.query.vid, requests[2]!.query.sid]).toEqual([undefined, undefined])
    expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
    expect(result.visitorId).not.toBe(first!.data.visitorId)

    emulator.fault({ status: 404, internalCode: 39 })
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    const after = emulator.received('engagement')
    expect(after.slice(3).map((r) => [r.status, r.query.sid])).toEqual([
      [404, result.sessionId],
      [201, undefined],
    ])
  })

  test('any other 4xx is not retried: one console error with the server message', async ({ page, emulator, openTagPage, consoleLines }) => {
    emulator.fault({ status: 400, internalCode: 5, message: 'request data missing or invalid' })
    await freezeTime(page)
    await openTagPage()
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data).toEqual({ code: 'rejected', message: expect.stringContaining('request data missing or invalid') })
    await page.clock.runFor(200_000)
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('HTTP 400/5: request data missing or invalid') }])
  })

  test('an unknown app (404/18) is reported, not retried', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { app: 'no-such-app' } })
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.code).toBe('rejected')
    expect(emulator.received('engagement').map((r) => r.status)).toEqual([404])
    expect(consoleLines).toHaveLength(1)
  })
})
