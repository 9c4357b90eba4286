import { readFileSync } from 'node:fs'
import { test, expect, waitForEvent, fired, freezeTime } from './support/fixtures.ts'
import { ENGAGEMENT, offerEventNames, reportedImpressions } from './support/offers.ts'

const catalog = (entry: object) => `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry })}</script>`

test.describe('offer lifecycle', () => {
  test('accept: START, DISPLAY, IMPRESSION, CLICK, REMOVE with the documented payload; impDisplay and impAccept reported', async ({ page, emulator, openTagPage, context }) => {
    await openTagPage({
      attrs: { 'click-url': 'https://brand.example/chat?e={engagementId}&c={contextId}&v={vid}&x={unknown}' },
      head: catalog({ format: 'toaster', name: 'Sales toaster', zone: 'help-box', title: 'Need help?', text: 'Our team is online.', button: 'Chat now' }),
    })
    await context.route('https://brand.example/**', (route) => route.fulfill({ body: 'chat window' }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    const popup = context.waitForEvent('page')
    await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()
    const opened = await popup
    await opened.waitForLoadState()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION', 'OFFER_CLICK', 'OFFER_REMOVE'])

    const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
    const d = engagement!.data.engagementDetails
    const events = await fired(page, 'LP_OFFERS')
    for (const { eventName, data: { handoff, ...data } } of events) {
      // The hand-off only with the accept (its own test below).
      expect(handoff !== undefined).toBe(eventName === 'OFFER_CLICK')
      expect(data).toEqual({
        contexts: [{ EngagementContext: { id: d.contextId } }, { pageContext: { id: engagement!.data.pageId } }],
        campaignId: d.campaignId,
        engagementId: d.engagementId,
        engagementRevision: d.engagementRevision,
        engagementType: 2,
        contextId: d.contextId,
        zoneId: 'help-box',
        state: 1,
        confKey: `${d.campaignId}_${d.engagementId}_${d.engagementRevision}`,
        tglName: 'toaster',
        done: true,
        engagementName: 'Sales toaster',
        // What the API gave (skill only when it gave one): proactive scripts read `data.windowId`.
        windowId: d.windowId,
        language: d.language,
      })
    }
    expect(opened.url()).toBe(`https://brand.example/chat?e=${d.engagementId}&c=${d.contextId}&v=${engagement!.data.visitorId}&x={unknown}`)
    expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impAccept'])
    const [session] = emulator.sessions('12345678')
    expect(session!.impressions.map((i: { type: string }) => i.type)).toEqual(['impDisplay', 'impAccept'])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
  })

  test('accept hands off to a conversation: OFFER_CLICK carries what ConsumerRequestConversation needs; the click URL fills {windowId} {skillId} {language} {pageId}', async ({ page, openTagPage, context }) => {
    await openTagPage({
      lang: 'fr-CA',
      attrs: { section: 'sales', format: 'toaster', 'click-url': 'https://brand.example/chat?w={windowId}&k={skillId}&l={language}&p={pageId}&c={campaignId}&e={engagementId}' },
    })
    await context.route('https://brand.example/**', (route) => route.fulfill({ body: 'chat window' }))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const popup = context.waitForEvent('page')
    await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()
    const opened = await popup
    const [click] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
    const result = (await fired(page, 'LP_TAG', 'ENGAGEMENT'))[0]!.data
    const d = result.engagementDetails
    // The sales campaign of e2e/server/campaigns.json: every optional field given.
    expect(d).toMatchObject({ campaignId: 3346848610, engagementId: 3562981110, windowId: '3346847910', skillId: 3346849010, skillName: 'Sales', connectorId: 2642324112, language: 'en-US' })
    // Ids as text, as ConsumerRequestConversation takes them.
    expect(click!.data.handoff).toEqual({
      campaignInfo: { campaignId: '3346848610', engagementId: '3562981110' },
      conversationContext: { type: 'SharkContext', visitorId: result.visitorId, sessionId: result.sessionId, interactionContextId: d.contextId, lang: 'en-US' },
      windowId: '3346847910',
      skillId: '3346849010',
      skillName: 'Sales',
      connectorId: '2642324112',
      pageId: result.pageId,
    })
    expect(opened.url()).toBe(`https://brand.example/chat?w=${d.windowId}&k=${d.skillId}&l=en-US&p=${result.pageId}&c=${d.campaignId}&e=${d.engagementId}`)
  })

  test('the README\'s hand-off example, pasted before the tag, starts the conversation with what ConsumerRequestConversation needs', async ({ page, openTagPage }) => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const example = readme.match(/```html\n(<script>\n\/\/ Works before the tag has loaded[\s\S]*?<\/script>)\n```/)?.[1]
    expect(example, 'the example in the README').toBeTruthy()
    await openTagPage({
      attrs: { section: 'sales', format: 'toaster' },
      head: `<script>window.myChat = { open: (request) => (window.__requested = request) }</script>${example}`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()
    const result = (await fired(page, 'LP_TAG', 'ENGAGEMENT'))[0]!.data
    await expect.poll(() => page.evaluate(() => (window as any).__requested)).toEqual({
      kind: 'req',
      type: 'cm.ConsumerRequestConversation',
      body: {
        campaignInfo: { campaignId: '3346848610', engagementId: '3562981110' },
        conversationContext: { type: 'SharkContext', visitorId: result.visitorId, sessionId: result.sessionId, interactionContextId: result.engagementDetails.contextId, lang: 'en-US' },
        skillId: '3346849010',
        channelType: 'MESSAGING',
      },
    })
  })

  test.describe('a campaign with no skill, window or language', () => {
    test.use({ campaigns: { accounts: { '12345678': { apps: ['a1b2c3'], campaigns: [{ campaignId: 1, engagementId: 2, engagementRevision: 3 }] } } } })
    test('the hand-off has what the API gave, the page language; the click URL leaves the rest empty, whatever a polluted prototype says', async ({ page, openTagPage, context }) => {
      await page.addInitScript(() => Object.assign(Object.prototype, { language: 'xx', skillId: 666, windowId: 'evil', refresh: 1 }))
      await openTagPage({ lang: 'fr-CA', attrs: { format: 'toaster', 'click-url': 'https://brand.example/chat?w={windowId}&k={skillId}&l={language}&e={engagementId}' } })
      await context.route('https://brand.example/**', (route) => route.fulfill({ body: 'chat window' }))
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
      const popup = context.waitForEvent('page')
      // LivePerson's Trigger API accepts as the visitor would.
      expect(await page.evaluate(() => (window as any).lpTag.taglets.rendererStub.click(2))).toBe(true)
      const opened = await popup
      const [click] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
      const result = (await fired(page, 'LP_TAG', 'ENGAGEMENT'))[0]!.data
      expect(click!.data.handoff).toEqual({
        campaignInfo: { campaignId: '1', engagementId: '2' },
        conversationContext: { type: 'SharkContext', visitorId: result.visitorId, sessionId: result.sessionId, interactionContextId: result.engagementDetails.contextId, lang: 'fr-CA' },
        pageId: result.pageId,
      })
      expect(opened.url()).toBe('https://brand.example/chat?w=&k=&l=&e=2')
      // Nor does a polluted `refresh` make a countdown: consent(false) still takes everything away.
      await page.evaluate(() => (window as any).lpTag.getEngagement())
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
      await page.evaluate(() => (window as any).lpTag.consent(false))
      await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
    })

    test('with data-lp-datalayer, GTM gets the click without the hand-off\'s ids; listeners get the hand-off', async ({ page, openTagPage }) => {
      await openTagPage({ attrs: { format: 'toaster', datalayer: true } })
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
      await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()
      const [click] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
      expect(click!.data.handoff.conversationContext.visitorId).toBeTruthy()
      const pushed = await page.evaluate(() => (window as any).dataLayer.find((e: any) => e.event === 'lp_offer_click'))
      const { handoff, ...offer } = click!.data
      expect(pushed).toEqual({ event: 'lp_offer_click', lpOffer: offer })
    })
  })

  test('decline: OFFER_DECLINED then OFFER_REMOVE; impClose reported', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'sticky' } })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.locator('[data-lp-engagement] >> [data-lp-action="close"]').click()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect((await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_DECLINED', 'OFFER_REMOVE'])
    expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impClose'])
  })

  test('timeout: the offer ends after exactly validForSeconds; impTimeout reported', async ({ page, emulator, openTagPage }) => {
    await freezeTime(page)
    await openTagPage({ head: catalog({ validForSeconds: 60 }) })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    // The emulator's campaign sets validForSeconds 900, which wins over the catalog's 60.
    const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
    const validFor = engagement!.data.engagementDetails.validForSeconds * 1000
    await page.clock.runFor(validFor - 1)
    expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
    await page.clock.runFor(1)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect((await offerEventNames(page)).slice(-2)).toEqual(['OFFER_TIMEOUT', 'OFFER_REMOVE'])
    expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impTimeout'])
  })

  test.describe('a campaign without validity', () => {
    test.use({ campaigns: { accounts: { '12345678': { apps: ['a1b2c3'], campaigns: [{ campaignId: 1, engagementId: 3562981510, engagementRevision: 2, connectorId: 3, windowId: '4', language: 'en-US' }] } } } })
    test('validity falls back to the catalog, then to 900 s', async ({ page, openTagPage }) => {
      await openTagPage({ head: catalog({ validForSeconds: 60 }) })
      const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(engagement!.data.engagementDetails.validForSeconds).toBe(60)
      await openTagPage()
      const [again] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      expect(again!.data.engagementDetails.validForSeconds).toBe(900)
    })
  })

  test('impression only once at least half the offer is in view (embedded below the fold)', async ({ page, openTagPage }) => {
    await openTagPage({
      head: catalog({ format: 'embedded', zone: 'footer-zone' }),
      body: '<div style="height: 3000px">tall content</div><div data-lp-zone="footer-zone"></div>',
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect.poll(() => offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY'])
    await page.locator('[data-lp-zone="footer-zone"]').scrollIntoViewIfNeeded()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    await page.evaluate(() => scrollTo(0, 0))
    await page.locator('[data-lp-zone="footer-zone"]').scrollIntoViewIfNeeded()
    expect((await offerEventNames(page)).filter((n) => n === 'OFFER_IMPRESSION')).toHaveLength(1)
  })

  test('a catalog given as a URL: fetched with the request, its entry picks the look and the zone among several', async ({ page, emulator, openTagPage, site }) => {
    site.setPage('/brand/catalog.json', {
      type: 'application/json',
      body: JSON.stringify({ [ENGAGEMENT]: { format: 5, zone: 'second', title: 'From the catalog URL', button: 'Ask us' } }),
    })
    await openTagPage({ attrs: { engagements: '/brand/catalog.json' }, body: '<div data-lp-zone="first"></div><p>text</p><div data-lp-zone="second"></div>' })
    const [display] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect([display!.data.engagementType, display!.data.tglName, display!.data.zoneId]).toEqual([5, 'embedded', 'second'])
    await expect(page.locator('[data-lp-zone="second"] > [data-lp-engagement]')).toHaveCount(1)
    await expect(page.locator('[data-lp-zone="first"] > [data-lp-engagement]')).toHaveCount(0)
    await expect(page.locator('[data-lp-engagement] >> [data-lp-action="accept"]')).toHaveText('Ask us')
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('catalog fields that are wrong are warned about, one line each, and fall back safely', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({
      head: catalog({ format: 'popup', accent: 'red; background: url(x)', title: 'x'.repeat(500), button: 'Go', zone: 'a b', validForSeconds: -1 }),
    })
    const [display] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    // The default format (slideout), the default accent and title; the valid button label stays.
    expect([display!.data.tglName, display!.data.zoneId]).toEqual(['slider', '0'])
    await expect(page.locator('[data-lp-engagement] >> [data-lp-action="accept"]')).toHaveText('Go')
    // What the tag needs at once (format, zone, validity) is checked as the catalog loads; the
    // texts and the accent by the offer UI, as it draws them.
    expect(consoleLines.map((l) => l.text)).toEqual([
      expect.stringMatching(/catalog 3562981510\.format ignored/),
      expect.stringMatching(/catalog 3562981510\.zone ignored/),
      expect.stringMatching(/catalog 3562981510\.validForSeconds ignored/),
      expect.stringMatching(/catalog 3562981510\.title ignored/),
      expect.stringMatching(/catalog 3562981510\.accent ignored/),
    ])
  })

  test('embedded without its zone on the page: no offer, ERROR zone', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({ head: catalog({ format: 'embedded', zone: 'missing-zone' }) })
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data).toEqual({ code: 'zone', message: expect.stringContaining('missing-zone') })
    expect(await fired(page, 'LP_OFFERS')).toEqual([])
    expect(consoleLines).toHaveLength(1)
  })

  test('headless: events without rendering; the page can still end the offer by timeout', async ({ page, openTagPage }) => {
    await freezeTime(page)
    await openTagPage({ attrs: { render: 'none' } })
    await waitForEvent(page, 'LP_OFFERS', 'START')
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
    await page.clock.runFor(900_000)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect(await offerEventNames(page)).toEqual(['START', 'OFFER_TIMEOUT', 'OFFER_REMOVE'])
  })

  test('newPage removes the offer (OFFER_REMOVE) before the new page view', async ({ page, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (window as any).lpTag.newPage('/next'))
    await waitForEvent(page, 'LP_OFFERS', 'START', 2)
    const sequence = (await offerEventNames(page)).filter((n) => n !== 'OFFER_IMPRESSION')
    expect(sequence).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_REMOVE', 'START', 'OFFER_DISPLAY'])
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(1)
  })

  test('data-lp-datalayer mirrors LP_OFFERS into window.dataLayer', async ({ page, openTagPage }) => {
    await openTagPage({ attrs: { datalayer: true }, head: '<script>window.dataLayer = [{ event: "gtm.js" }]</script>' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const layer = await page.evaluate(() => (window as any).dataLayer.map((e: { event: string; lpOffer?: { engagementId: number } }) => [e.event, !!e.lpOffer]))
    expect(layer.slice(0, 3)).toEqual([
      ['gtm.js', false],
      ['lp_start', true],
      ['lp_offer_display', true],
    ])
  })

  test('SDEs sent while an offer shows go to its session through the Report method', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (window as any).lpTag.sdes.send({ type: 'purchase', total: 78, orderId: 'Test123' }))
    await expect.poll(() => emulator.received('report').some((r) => r.body.engagementAttributes[0]?.type === 'purchase')).toBe(true)
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(emulator.sessions('12345678')[0]!.sdes.map((s: { type: string }) => s.type)).toContain('purchase')
  })

  test('a javascript: click URL is never opened', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { 'click-url': 'javascript:alert(1)' } })
    await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(consoleLines[0]!.text).toContain('data-lp-click-url')
    await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
  })
})
