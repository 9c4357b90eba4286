// The demo a newcomer opens after `npm start` (public/index.html), as they would use it.
import { test, expect, fired, waitForEvent, openPublicPage } from './support/fixtures.ts'

const SALES = { campaignId: 3346848610, engagementId: 3562981110 }
const BIG_BASKET = 3562981310

test.describe('the demo (npm start)', () => {
  test('accepting the offer starts a demo conversation showing the hand-off a real integration receives', async ({ page, site, emulator }) => {
    await openPublicPage(page, site, emulator, '/')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect(page.locator('#offer')).toHaveText(/^(Showing|Seen by the visitor:) "Sales toaster" \(toaster, engagement 3562981110\)$/)
    await expect(page.locator('#conversation')).toBeHidden()
    await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()

    const conversation = page.locator('#conversation')
    await expect(conversation).toBeVisible()
    await expect(conversation).toBeFocused()
    await expect(page.locator('#offer')).toHaveText(/^Accepted "Sales toaster".*: the conversation started below$/)
    const result = (await fired(page, 'LP_TAG', 'ENGAGEMENT'))[0]!.data
    const facts = await page.locator('#handoff').evaluate((dl) => {
      const terms = [...dl.querySelectorAll('dt')].map((dt) => dt.textContent)
      return Object.fromEntries(terms.map((term, i) => [term, dl.querySelectorAll('dd')[i]!.textContent]))
    })
    expect(facts).toEqual({
      Campaign: String(SALES.campaignId),
      Engagement: String(SALES.engagementId),
      Skill: 'Sales (3346849010)',
      Window: '3346847910',
      Visitor: result.visitorId,
      Session: result.sessionId,
      'Interaction context': result.engagementDetails.contextId,
      Language: 'en-US',
    })
    const [click] = await fired(page, 'LP_OFFERS', 'OFFER_CLICK')
    expect(JSON.parse((await page.locator('#handoff-json').textContent())!)).toEqual(click!.data.handoff)
    await expect(page.locator('#agent')).toHaveText('Ana from Sales')
  })

  test('the Offer box says the live state in words: a retry after 503 counts down; the requests list is this browser\'s, newest first', async ({ page, site, emulator }) => {
    // Time flows, and the retry pause is skipped rather than waited for.
    await page.clock.install()
    await openPublicPage(page, site, emulator, '/')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.getByRole('button', { name: 'Next answer: 503 (watch the retry)' }).click()
    await expect(page.locator('#offer')).toHaveText(/^Retrying after 503, retry 1 of 4 in [1-3] s$/)
    await page.clock.runFor(3000)
    await expect(page.locator('#offer')).toHaveText(/^(Showing|Seen by the visitor:) "Sales toaster"/)
    // Someone else's browser on the same emulator: not in this list.
    const other = await (await fetch(`${emulator.url}/api/account/12345678/app/a1b2c3/engagement?v=1.1`, { method: 'POST', body: '{}' })).json()
    const mine = () => emulator.requests.filter((r) => (r.kind === 'engagement' || r.kind === 'report') && r.headers.origin === site.url && r.status)
    const listed = () => page.locator('#requests li').allTextContents()
    await page.getByRole('button', { name: 'Check engagement again' }).click()
    await expect.poll(async () => (await listed()).map((text) => text.split('→ ')[1]), { timeout: 8000 }).toEqual(mine().reverse().map((r) => String(r.status)))
    const items = await listed()
    expect(items.some((text) => text.endsWith('→ 503'))).toBe(true)
    expect(items.join('\n')).not.toContain(other.visitorId)
    // Nothing clipped: every line fits the list's width, long ids wrapping.
    const clipped = await page.locator('#requests').evaluate((list) => list.scrollWidth > list.clientWidth)
    expect(clipped).toBe(false)
  })

  test('pushing a cart SDE visibly changes the offer to the catalog\'s Big basket', async ({ page, site, emulator }) => {
    await openPublicPage(page, site, emulator, '/')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.getByRole('button', { name: 'Push a cart SDE (total 150)' }).click()
    await waitForEvent(page, 'LP_OFFERS', 'START', 2)
    expect((await fired(page, 'LP_OFFERS', 'START')).map((e) => e.data.engagementId)).toEqual([SALES.engagementId, BIG_BASKET])
    await expect(page.locator('#offer')).toHaveText(/"Big basket" \(overlay, engagement 3562981310\)/)
  })

  test('the formats gallery fits a 375 px screen: no sideways scrolling', async ({ page, site, emulator }) => {
    await page.setViewportSize({ width: 375, height: 700 })
    await openPublicPage(page, site, emulator, '/formats.html')
    await expect(page.locator('.frames iframe')).toHaveCount(6)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    const widths = await page.locator('.frames iframe').evaluateAll((frames) => frames.map((f) => f.getBoundingClientRect().right))
    for (const right of widths) expect(right).toBeLessThanOrEqual(375)
  })

  test('the bookmarklet page works hosted under a sub-path beside tag.js: its styles, its script, the tag URL', async ({ page, site, emulator }) => {
    // A CDN folder holding the files of public/ and dist/ side by side.
    await page.route(`${site.url}/cdn/v1/**`, async (route) => route.fulfill({ response: await route.fetch({ url: route.request().url().replace('/cdn/v1/', '/') }) }))
    await openPublicPage(page, site, emulator, '/cdn/v1/bookmarklet.html')
    await expect(page.locator('#bookmarklet-code')).toContainText(JSON.stringify(`${site.url}/cdn/v1/tag.js`))
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('896px')
    // The code wraps inside its box rather than widening the page.
    await page.setViewportSize({ width: 375, height: 700 })
    await page.locator('#bookmarklet-code').evaluate((pre) => (pre.closest('details')!.open = true))
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
  })

  test('each installation page shows its own snippet, as served', async ({ page, site, emulator }) => {
    await openPublicPage(page, site, emulator, '/install/cms.html')
    const snippet = page.locator('[data-install-snippet]')
    await expect(snippet).toContainText(`<script async src="/tag.js" data-lp-account="12345678" data-lp-app="a1b2c3" data-lp-domain="${emulator.url}" data-lp-section="blog"></script>`)
    await openPublicPage(page, site, emulator, '/install/gtm.html')
    await expect(page.locator('[data-install-snippet]')).toContainText("document.createElement('script')")
  })
})
