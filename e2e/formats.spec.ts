import AxeBuilder from '@axe-core/playwright'
import { test, expect, waitForEvent, fired, tagScript, ACCOUNT, APP } from './support/fixtures.ts'
import { FORMATS, ENGAGEMENT, openOffer, focused, tabTo, reveal, rects, hit, contrast } from './support/offers.ts'

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
      await page.waitForTimeout(500) // entrance transitions done
      if (format !== 'embedded') expect(await page.evaluate(() => (window as any).shift)).toBe(0)
      expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined()

      if (format === 'peeling' || format === 'slideout') {
        await page.screenshot({ path: testInfo.outputPath(`${format}-closed.png`) })
        await testInfo.attach(`${format}-closed`, { path: testInfo.outputPath(`${format}-closed.png`) })
        await reveal(page, format)
        await page.waitForTimeout(400)
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

    for (const [accent, ink] of [['#ffcc00', 'rgb(0, 0, 0)'], ['#123456', 'rgb(255, 255, 255)']] as const) {
      test(`axe finds nothing, contrast AA with accent ${accent}`, async ({ page, openTagPage }) => {
        await page.emulateMedia({ reducedMotion: 'reduce' })
        await openOffer(page, openTagPage, format, { accent })
        await reveal(page, format)
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
