import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, fired, tagScript, ACCOUNT, APP, type Emulator, type Site } from './support/fixtures.ts'
import { FORMATS, ENGAGEMENT, offerEventNames, reportedImpressions, reveal, type FormatName } from './support/offers.ts'

// The whole offer lifecycle under a strict CSP with Trusted Types, on a page without a single
// inline script: accept, decline and timeout for each format, the Report method included, and no
// `securitypolicyviolation` at all. (formats.spec.ts checks that each format renders styled under
// CSP; this file checks everything after the render.)

const CLICK_URL = 'https://brand.example/chat?e={engagementId}&c={contextId}'

/**
 * The policy of the brief, plus `'self'` in `connect-src`: the catalog is a URL on the page's own
 * origin, which the tag fetches. `trustedTypes` is the `trusted-types` directive's value: `'none'`
 * forbids creating any policy at all.
 */
function policy(emulator: Emulator, { trustedTypes = 'lp-tag' } = {}) {
  return [
    "default-src 'self'",
    `connect-src 'self' ${emulator.url}`,
    "style-src 'self'",
    "script-src 'self'",
    "require-trusted-types-for 'script'",
    `trusted-types ${trustedTypes}`,
  ].join('; ')
}

// The page's only own script, served from its origin: it records every violation, from the first
// byte on (it runs before the async tag).
const WATCH_JS = `window.violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.violations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + (event.sample || ''));
});`

let pages = 0

/** Serves a CSP page with the tag, `format` coming from a same-origin catalog URL, and opens it. */
async function openCspPage(page: Page, site: Site, emulator: Emulator, format: FormatName, { trustedTypes = 'lp-tag', bundle = 'tag.js' } = {}) {
  const dir = `/csp-flow/${++pages}`
  site.setPage(`${dir}/watch.js`, { type: 'text/javascript; charset=utf-8', body: WATCH_JS })
  site.setPage(`${dir}/catalog.json`, {
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ [ENGAGEMENT]: { format, zone: 'help-box', title: 'Need a hand?', text: 'We are online.', button: 'Chat now', validForSeconds: 60 } }),
  })
  site.setPage(`${dir}/page.html`, {
    headers: { 'Content-Security-Policy': policy(emulator, { trustedTypes }) },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>csp</title>
<script src="${dir}/watch.js"></script>
${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, engagements: `${dir}/catalog.json`, 'click-url': CLICK_URL }).replace('/tag.js', `/${bundle}`)}
</head><body><main><h1>Strict CSP</h1><div data-lp-zone="help-box"></div></main></body></html>`,
  })
  await page.goto(`${site.url}${dir}/page.html`)
}

const violations = (page: Page) => page.evaluate(() => (window as any).violations as string[])

for (const format of FORMATS) {
  test.describe(`${format} under a strict CSP with Trusted Types`, () => {
    test('accept: START, DISPLAY, IMPRESSION, CLICK, REMOVE; the click URL opens; impDisplay, impAccept reported', async ({ page, context, site, emulator, consoleLines }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await context.route('https://brand.example/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>chat</title>chat window' }))
      await openCspPage(page, site, emulator, format)
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
      await reveal(page, format)
      const popup = context.waitForEvent('page')
      await page.locator('[data-lp-engagement] >> [data-lp-action="accept"]').click()
      const opened = await popup
      await opened.waitForLoadState()
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
      expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION', 'OFFER_CLICK', 'OFFER_REMOVE'])
      const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
      const d = engagement!.data.engagementDetails
      expect(opened.url()).toBe(`https://brand.example/chat?e=${d.engagementId}&c=${d.contextId}`)
      expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impAccept'])
      await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
      expect(await violations(page)).toEqual([])
      expect(consoleLines).toEqual([])
    })

    if (format !== 'embedded') {
      // The embedded card has no close control: it is part of the page, it can only be accepted or time out.
      test('decline: DECLINED then REMOVE; impDisplay, impClose reported', async ({ page, site, emulator, consoleLines }) => {
        await page.emulateMedia({ reducedMotion: 'reduce' })
        await openCspPage(page, site, emulator, format)
        await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
        await reveal(page, format)
        await page.locator('[data-lp-engagement] >> [data-lp-action="close"]').click()
        await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
        expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION', 'OFFER_DECLINED', 'OFFER_REMOVE'])
        expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impClose'])
        await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
        expect(await violations(page)).toEqual([])
        expect(consoleLines).toEqual([])
      })
    }

    test('timeout: ends after exactly validForSeconds; impDisplay, impTimeout reported', async ({ page, site, emulator, consoleLines }) => {
      await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') })
      await page.clock.pauseAt(new Date('2026-01-01T00:00:01Z'))
      await openCspPage(page, site, emulator, format)
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
      const [engagement] = await fired(page, 'LP_TAG', 'ENGAGEMENT')
      const validFor = engagement!.data.engagementDetails.validForSeconds * 1000
      await page.clock.runFor(validFor - 1)
      expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
      await page.clock.runFor(1)
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
      expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION', 'OFFER_TIMEOUT', 'OFFER_REMOVE'])
      expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impTimeout'])
      await expect(page.locator('[data-lp-engagement]')).toHaveCount(0)
      expect(await violations(page)).toEqual([])
      expect(consoleLines).toEqual([])
    })
  })
}

test.describe("with `trusted-types 'none'`, where no policy may be made", () => {
  test('tag.full.js: the whole offer flow works, and the tag creates no policy until the debug panel', async ({ page, site, emulator, consoleLines }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await openCspPage(page, site, emulator, 'toaster', { trustedTypes: "'none'", bundle: 'tag.full.js' })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    await page.locator('[data-lp-engagement] >> [data-lp-action="close"]').click()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
    expect(await offerEventNames(page)).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_IMPRESSION', 'OFFER_DECLINED', 'OFFER_REMOVE'])
    expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impClose'])
    // Any createPolicy would have been refused with a `trusted-types` violation: there was none.
    expect(await violations(page)).toEqual([])
    expect(consoleLines).toEqual([])
    // The check has teeth: the debug panel's loader does create one, and is refused, with one console error.
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^trusted-types /)])
    await expect.poll(() => consoleLines.length).toBeGreaterThanOrEqual(1)
  })

  test('tag.js: no offer is drawn (its UI chunk needs the lp-tag policy); one console line names the fix', async ({ page, site, emulator, consoleLines }) => {
    await openCspPage(page, site, emulator, 'toaster', { trustedTypes: "'none'" })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    // The browser's own line for the refused policy, then the tag's, which names the fix.
    await expect.poll(() => consoleLines).toEqual([
      { type: 'error', text: expect.stringContaining("TrustedTypePolicy named 'lp-tag'") },
      { type: 'error', text: expect.stringMatching(/offers cannot be drawn: .*trusted-types lp-tag\); or use tag\.full\.js/) },
    ])
    expect(await offerEventNames(page)).toEqual([])
    expect(emulator.received('report')).toEqual([])
    expect(await violations(page)).toEqual([expect.stringMatching(/^trusted-types /)])
  })
})
