import AxeBuilder from '@axe-core/playwright'
import { test, expect, waitForEvent, fired, tagScript, ACCOUNT, APP } from './support/fixtures.ts'
import { FORMATS, ENGAGEMENT, openOffer, focused, tabTo, reveal, rects, hit, contrast, stillness } from './support/offers.ts'

// Each offer format through the real flow: the tag asks the emulator, gets the site-wide
// engagement, and renders it with the look the page's catalog gives it (contract section 6).

const HTML_TITLE = '<img src=x onerror="window.pwned=1">'

/** The page is hostile to anything it hosts: resets, hidden buttons, rotated divs, huge z-indexes. */
const HOSTILE_CSS = `<style>
* { all: unset !important }
button { display: none !important }
div { position: static !important; transform: rotate(3deg) }
[data-lp-engagement] { z-index: -1 !important; opacity: .1 !important; display: none !important }
footer { display: block !important; position: fixed !important; left: 0 !important; right: 0 !important; bottom: 0 !important; height: 120px !important; z-index: 2147483647 !important; background: #c00 !important }
head, style, script { display: none !important }
</style><footer></footer>`

for (const format of FORMATS) {
  test.describe(format, () => {
    test('renders the catalog text as text in an open shadow root, shifts nothing, steals no focus', async ({ page, openTagPage, consoleLines }, testInfo) => {
      await page.addInitScript(() => {
        const w = window as any
        w.shift = 0
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) w.shift += entry.value
        }).observe({ type: 'layout-shift', buffered: true })
      })
      await openOffer(page, openTagPage, format, { title: HTML_TITLE, text: 'Ask us <b>anything</b>.', button: 'Talk to us' })
      const host = await page.evaluate(() => {
        const host = document.querySelector('[data-lp-engagement]') as HTMLElement
        const root = host.shadowRoot!
        const box = root.querySelector('[aria-labelledby]')!
        const close = root.querySelector('[data-lp-action="close"]')
        return {
          attrs: [host.getAttribute('data-lp-engagement'), host.getAttribute('data-lp-format')],
          hosts: document.querySelectorAll('[data-lp-engagement]').length,
          mode: root.mode,
          parent: host.parentElement!.tagName + (host.parentElement!.getAttribute('data-lp-zone') ?? ''),
          position: getComputedStyle(host).position,
          title: root.getElementById(box.getAttribute('aria-labelledby')!)?.textContent,
          text: root.textContent,
          accept: root.querySelector('button[data-lp-action="accept"]')?.textContent,
          close: close && [close.tagName, close.getAttribute('aria-label'), close.textContent],
          parsed: document.querySelectorAll('img, b').length + root.querySelectorAll('img, b, *[onerror]').length,
          styled: root.querySelectorAll('style, [style]').length + (host.hasAttribute('style') ? 1 : 0),
          sheets: root.adoptedStyleSheets.length,
          transition: getComputedStyle(root.querySelector('[data-lp-action="accept"]')!.parentElement!).transitionDuration,
        }
      })
      expect(host).toEqual({
        attrs: [ENGAGEMENT, format],
        hosts: 1,
        mode: 'open',
        parent: format === 'embedded' ? 'DIVhelp-box' : 'BODY',
        position: format === 'embedded' ? 'static' : 'fixed',
        title: HTML_TITLE,
        text: expect.stringContaining('Ask us <b>anything</b>.'),
        accept: 'Talk to us',
        close: format === 'embedded' ? null : ['BUTTON', 'Close', '×'],
        parsed: 0,
        styled: 0,
        sheets: 2,
        transition: expect.not.stringMatching(/^0s/),
      })
      // The offer's classes do not style the page's elements of the same names.
      expect(await page.evaluate(() => document.adoptedStyleSheets.length)).toBe(0)

      await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
      expect(await focused(page)).toBe(format === 'overlay' ? 'accept' : 'q')
      await stillness(page) // entrance transitions done
      if (format !== 'embedded') expect(await page.evaluate(() => (window as any).shift)).toBe(0)
      expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined()

      if (format === 'peeling' || format === 'slideout') {
        await page.screenshot({ path: testInfo.outputPath(`${format}-closed.png`) })
        await testInfo.attach(`${format}-closed`, { path: testInfo.outputPath(`${format}-closed.png`) })
        await reveal(page, format)
        await stillness(page)
      }
      await page.screenshot({ path: testInfo.outputPath(`${format}.png`) })
      await testInfo.attach(format, { path: testInfo.outputPath(`${format}.png`) })
      expect(consoleLines).toEqual([])
    })

    test('keyboard only: Tab reaches accept, Enter accepts', async ({ page, openTagPage }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await openOffer(page, openTagPage, format)
      await tabTo(page, 'accept')
      // The focused control is really showing (the peeling corner opens on focus) and has a focus ring.
      const shown = await page.evaluate(() => {
        const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
        const accept = root.querySelector('[data-lp-action="accept"]')!
        const r = accept.getBoundingClientRect()
        return [root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === accept, getComputedStyle(accept).outlineStyle]
      })
      expect(shown).toEqual([true, 'solid'])
      await page.keyboard.press('Enter')
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
      expect((await fired(page, 'LP_OFFERS')).map((e) => e.eventName)).toContain('OFFER_CLICK')
      expect(await fired(page, 'LP_OFFERS', 'OFFER_DECLINED')).toEqual([])
      expect(await page.locator('[data-lp-engagement]').count()).toBe(0)
    })

    test(format === 'embedded' ? 'keyboard only: Space on accept accepts' : 'keyboard only: Space on close declines', async ({ page, openTagPage }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await openOffer(page, openTagPage, format)
      const action = format === 'embedded' ? 'accept' : 'close'
      await tabTo(page, action)
      await page.keyboard.press('Space')
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_REMOVE')
      const names = (await fired(page, 'LP_OFFERS')).map((e) => e.eventName)
      expect(names).toContain(action === 'accept' ? 'OFFER_CLICK' : 'OFFER_DECLINED')
      expect(names).not.toContain(action === 'accept' ? 'OFFER_DECLINED' : 'OFFER_CLICK')
    })

    // Both cards (light, dark) and both inks on the accent (black, white): the card's text colours
    // follow the theme alone, the label's the accent alone. Every accent's ink is unit-tested
    // (src/offer-ui/styles.test.ts).
    const cases = [
      ['light', '#ffcc00', 'rgb(0, 0, 0)'],
      ['dark', '#0b63ce', 'rgb(255, 255, 255)'],
    ] as const
    for (const [theme, accent, ink] of cases) {
      test(`axe finds nothing, contrast AA: ${theme} theme, accent ${accent}, with an agent line`, async ({ page, openTagPage }) => {
        await page.emulateMedia({ reducedMotion: 'reduce' })
        await openOffer(page, openTagPage, format, { accent, theme, agent: 'Ana from Sales' })
        await reveal(page, format)
        const card = page.locator('[data-lp-engagement] >> [aria-labelledby]')
        expect(await card.evaluate((node) => getComputedStyle(node).backgroundColor)).toBe(theme === 'dark' ? 'rgb(36, 41, 47)' : 'rgb(255, 255, 255)')
        const results = await new AxeBuilder({ page }).include('[data-lp-engagement]').analyze()
        expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
        // axe did check the text colours (not left them "incomplete").
        expect(results.passes.find((rule) => rule.id === 'color-contrast')?.nodes.length).toBeGreaterThanOrEqual(3)
        const accept = page.locator('[data-lp-action="accept"]')
        const [color, background] = await accept.evaluate((node) => [getComputedStyle(node).color, getComputedStyle(node).backgroundColor])
        expect(color).toBe(ink)
        expect(contrast(color!, background!)).toBeGreaterThanOrEqual(4.5)
      })
    }

    test('375×667: inside the viewport, taps beside it reach the page, no motion when reduced', async ({ page, openTagPage }) => {
      await page.setViewportSize({ width: 375, height: 667 })
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await openOffer(page, openTagPage, format, { text: 'A longer text that wraps over several lines on a phone, so that the box is as tall as a real one.' })
      expect(await hit(page, 2, 2)).toBe(format === 'overlay' ? 'offer' : 'page') // the overlay's backdrop is part of it
      if (format === 'peeling') {
        // Closed, only the corner takes taps, though the card's box is larger.
        expect(await hit(page, 375 - 120, 40)).toBe('page')
        expect(await hit(page, 375 - 10, 10)).toBe('offer')
      }
      if (format === 'slideout') {
        const { box } = await rects(page)
        expect(await hit(page, box.left - 6, box.top + box.height / 2)).toBe('page')
        expect(await hit(page, box.left + box.width / 2, box.top + box.height / 2)).toBe('offer')
      }
      await reveal(page, format)
      const { card, box } = await rects(page)
      for (const r of [card, box]) {
        expect(r.width * r.height).toBeGreaterThan(0)
        expect([r.left >= 0, r.top >= 0, r.right <= 375, r.bottom <= 667]).toEqual([true, true, true, true])
      }
      if (format !== 'overlay') {
        if (card.left >= 8) expect(await hit(page, card.left - 6, card.top + card.height / 2)).toBe('page')
        if (card.top >= 8) expect(await hit(page, card.left + card.width / 2, card.top - 6)).toBe('page')
        expect(await hit(page, card.left + card.width / 2, card.top + card.height / 2)).toBe('offer')
      }
      const durations = await page.evaluate(() => {
        const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
        return [...root.querySelectorAll('*')].map((node) => getComputedStyle(node).transitionDuration)
      })
      expect(new Set(durations)).toEqual(new Set(['0s']))
    })

    test('a hostile page stylesheet neither hides nor breaks it', async ({ page, openTagPage }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await openOffer(page, openTagPage, format, {}, HOSTILE_CSS)
      const host = page.locator('[data-lp-engagement]')
      const style = await host.evaluate((node) => {
        const s = getComputedStyle(node)
        return { display: s.display, position: s.position, zIndex: s.zIndex, transform: s.transform, opacity: s.opacity }
      })
      expect(style).toEqual({
        display: format === 'overlay' ? 'grid' : 'block',
        position: format === 'embedded' ? 'static' : 'fixed',
        zIndex: format === 'embedded' ? 'auto' : '2147483647',
        transform: 'none',
        opacity: '1',
      })
      await reveal(page, format)
      // A real click where the accept button is drawn lands on it, above the page's max z-index footer.
      const accept = await page.locator('[data-lp-action="accept"]').boundingBox()
      expect(accept!.width * accept!.height).toBeGreaterThan(0)
      await page.mouse.click(accept!.x + accept!.width / 2, accept!.y + accept!.height / 2)
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
    })
  })
}

test.describe('overlay as a modal dialog', () => {
  test('focus moves in, Tab and Shift+Tab stay inside, Escape declines, focus returns', async ({ page, openTagPage }) => {
    await openOffer(page, openTagPage, 'overlay', { title: 'Talk to an expert' })
    const dialog = await page.evaluate(() => {
      const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
      const box = root.querySelector('[role="dialog"]')!
      return [box.getAttribute('aria-modal'), root.getElementById(box.getAttribute('aria-labelledby')!)?.textContent]
    })
    expect(dialog).toEqual(['true', 'Talk to an expert'])
    expect(await focused(page)).toBe('accept')
    const order = []
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key)
      order.push(await focused(page))
    }
    expect(order).toEqual(['close', 'accept', 'close', 'accept', 'close'])
    await page.keyboard.press('Escape')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DECLINED')
    expect(await page.locator('[data-lp-engagement]').count()).toBe(0)
    expect(await focused(page)).toBe('q')
    // The trap left with the dialog: Tab moves on through the page again.
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).not.toBe('q')
  })

  test('a click on the backdrop declines, a click on the card does not', async ({ page, openTagPage }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await openOffer(page, openTagPage, 'overlay')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_IMPRESSION')
    const { card } = await rects(page)
    await page.mouse.click(card.left + 8, card.top + 8)
    expect(await fired(page, 'LP_OFFERS', 'OFFER_DECLINED')).toEqual([])
    await page.mouse.click(10, 10)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DECLINED')
    expect(await fired(page, 'LP_OFFERS', 'OFFER_CLICK')).toEqual([])
  })
})

test('under a strict CSP with Trusted Types, every format renders styled, with no violation', async ({ page, site, emulator }) => {
  await page.addInitScript(() => {
    const violations: string[] = ((window as any).violations = [])
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
  const csp = `default-src 'self'; connect-src 'self' ${emulator.url}; require-trusted-types-for 'script'`
  for (const format of FORMATS) {
    const catalog = JSON.stringify({ [ENGAGEMENT]: { format, zone: 'help-box' } })
    site.setPage(`/csp/${format}.html`, {
      headers: { 'Content-Security-Policy': csp },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>csp</title>
<script type="application/json" data-lp-engagements>${catalog}</script>
${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url })}</head><body><main><div data-lp-zone="help-box"></div></main></body></html>`,
    })
    await page.goto(`${site.url}/csp/${format}.html`)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const state = await page.evaluate(() => {
      const host = document.querySelector('[data-lp-engagement]')!
      return { position: getComputedStyle(host).position, accept: getComputedStyle(host.shadowRoot!.querySelector('[data-lp-action="accept"]')!).minHeight, violations: (window as any).violations }
    })
    expect(state, format).toEqual({ position: format === 'embedded' ? 'static' : 'fixed', accept: '44px', violations: [] })
  }
})

test.describe('looks a designer would ship', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
  const card = (page: import('@playwright/test').Page) => page.locator('[data-lp-engagement] >> [aria-labelledby]')

  test('agent and avatar: a name line after a decorative picture, fetched without the page address; a wrong URL is one console line; a picture that fails goes', async ({ page, openTagPage, context, consoleLines }) => {
    const referers: (string | undefined)[] = []
    await context.route('https://cdn.example/**', (route) => {
      referers.push(route.request().headers().referer)
      return route.request().url().endsWith('/ana.png') ? route.fulfill({ contentType: 'image/png', body: PNG }) : route.fulfill({ status: 404 })
    })
    await openOffer(page, openTagPage, 'toaster', { agent: 'Ana from Sales', avatar: 'https://cdn.example/ana.png' })
    const line = card(page).locator('.g')
    await expect(line).toHaveText('Ana from Sales')
    const picture = line.locator('img')
    await expect(picture).toHaveAttribute('alt', '')
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1)
    expect(referers).toEqual([undefined])
    expect(consoleLines).toEqual([])

    await openOffer(page, openTagPage, 'toaster', { agent: 'Ana', avatar: 'http://cdn.example/ana.png' })
    await expect(card(page).locator('.g')).toHaveText('Ana')
    await expect(card(page).locator('img')).toHaveCount(0)
    expect(consoleLines).toEqual([{ type: 'warning', text: `[lpTag] engagement catalog ${ENGAGEMENT}.avatar ignored: an https image URL (http only on localhost)` }])

    await openOffer(page, openTagPage, 'toaster', { agent: 'Ana', avatar: 'https://cdn.example/gone.png' })
    await expect(card(page).locator('.g')).toHaveText('Ana')
    await expect(card(page).locator('img')).toHaveCount(0)
  })

  test('theme auto follows prefers-color-scheme, live', async ({ page, openTagPage }) => {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await openOffer(page, openTagPage, 'toaster', { theme: 'auto' })
    const colours = () => card(page).evaluate((node) => [getComputedStyle(node).backgroundColor, getComputedStyle(node).color])
    expect(await colours()).toEqual(['rgb(36, 41, 47)', 'rgb(240, 243, 246)'])
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await colours()).toEqual(['rgb(255, 255, 255)', 'rgb(27, 31, 36)'])
  })

  test('an accent the card would hide (white on white) is replaced by the default, warned about once', async ({ page, openTagPage, consoleLines }) => {
    await openOffer(page, openTagPage, 'toaster', { accent: '#fff' })
    const fill = () => page.locator('[data-lp-action="accept"]').evaluate((node) => getComputedStyle(node).backgroundColor)
    expect(await fill()).toBe('rgb(11, 99, 206)')
    await page.evaluate(() => (window as any).lpTag.newPage(location.href))
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY', 2)
    expect(await fill()).toBe('rgb(11, 99, 206)')
    expect(consoleLines).toEqual([{ type: 'warning', text: `[lpTag] engagement catalog ${ENGAGEMENT}.accent #fff ignored: it cannot be seen on the light card (contrast 1.0:1, needs 1.5:1)` }])
    // Black on the dark card, likewise; a brand's yellow on the light one is hers to keep.
    await openOffer(page, openTagPage, 'toaster', { accent: '#000000', theme: 'dark' })
    expect(await fill()).toBe('rgb(11, 99, 206)')
    await openOffer(page, openTagPage, 'toaster', { accent: '#ffcc00' })
    expect(await fill()).toBe('rgb(255, 204, 0)')
  })

  test('peeling: the closed corner shows a chat cue with an accessible name, inside the corner; it fades as the corner opens', async ({ page, openTagPage }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await openOffer(page, openTagPage, 'peeling')
    const cue = page.getByRole('img', { name: 'Chat' })
    await expect(cue).toBeVisible()
    const box = (await cue.boundingBox())!
    const width = page.viewportSize()!.width
    expect([box.x >= width - 80, box.y + box.height <= 80, box.width * box.height > 0]).toEqual([true, true, true])
    await reveal(page, 'peeling')
    await expect(cue).toBeHidden()
  })

  test('slideout: open, the title is in view once and the tab reads Hide; Hide and Escape fold it back, the offer staying', async ({ page, openTagPage }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await openOffer(page, openTagPage, 'slideout', { title: 'Need a hand?' })
    const tab = page.locator('[data-lp-engagement] >> [aria-expanded]')
    const titles = () => page.locator('[data-lp-engagement]').evaluate((host) =>
      [...host.shadowRoot!.querySelectorAll('*')].filter((el) => el.children.length === 0 && el.textContent === 'Need a hand?' && el.checkVisibility({ visibilityProperty: true })).length,
    )
    await expect(tab).toHaveText('Need a hand?')
    expect(await titles()).toBe(1)
    await tab.click()
    await expect(tab).toHaveText('Hide')
    await expect(page.locator('[data-lp-action="accept"]')).toBeVisible()
    expect(await titles()).toBe(1)
    await tab.click()
    await expect(tab).toHaveAttribute('aria-expanded', 'false')
    await expect(tab).toHaveText('Need a hand?')
    await expect(page.locator('[data-lp-action="accept"]')).toBeHidden()
    await tab.click()
    await page.locator('[data-lp-action="accept"]').focus()
    await page.keyboard.press('Escape')
    await expect(tab).toHaveAttribute('aria-expanded', 'false')
    await expect(tab).toBeFocused()
    expect((await fired(page, 'LP_OFFERS')).map((e) => e.eventName).filter((n) => n !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY'])
  })
})
