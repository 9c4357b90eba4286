import type { Page } from '@playwright/test'
import { expect, fired, waitForEvent, waitForRequests, type Emulator, type TagPageOptions } from './fixtures.ts'

export const FORMATS = ['peeling', 'overlay', 'toaster', 'slideout', 'embedded', 'sticky'] as const
export type FormatName = (typeof FORMATS)[number]

/** The site-wide engagement of `e2e/server/campaigns.json`: what a page without sections gets. */
export const ENGAGEMENT = '3562981510'

export interface Look {
  title?: string
  text?: string
  button?: string
  accent?: string
  agent?: string
  avatar?: string
  theme?: 'light' | 'dark' | 'auto'
}

/**
 * Opens a page with a focused search field and the tag, its inline catalog giving the site-wide
 * engagement `format` (the `embedded` one also a zone), and waits for the offer to be displayed.
 */
export async function openOffer(page: Page, openTagPage: (options?: TagPageOptions) => Promise<string>, format: FormatName, look: Look = {}, head = '') {
  const entry = { format, title: 'Need a hand?', text: 'Our team is online and happy to help.', button: 'Chat now', ...look, ...(format === 'embedded' ? { zone: 'help-box' } : {}) }
  await openTagPage({
    attrs: { format },
    head: `${head}<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry })}</script>`,
    // The page focuses its own field before the offer arrives: only the overlay may take focus.
    body: `<main><h1>Test page</h1><p>Some page text.</p><input id="q" aria-label="Search"><script>document.getElementById('q').focus()</script>${
      format === 'embedded' ? '<div data-lp-zone="help-box"></div>' : ''
    }<p>More page text.</p></main>`,
  })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
}

/** What has focus, looking through shadow roots: a `data-lp-action`, `tab` (the slideout's), an id or a tag name. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let active = document.activeElement
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
    if (!active) return 'none'
    return active.getAttribute('data-lp-action') ?? (active.hasAttribute('aria-expanded') ? 'tab' : active.id || active.tagName.toLowerCase())
  })
}

/** Presses Tab until `action`'s control has focus, opening a closed slideout tab with Enter on the way. */
export async function tabTo(page: Page, action: 'accept' | 'close') {
  for (let presses = 0; presses < 6 && (await focused(page)) !== action; presses++) {
    if ((await focused(page)) === 'tab' && (await page.locator('[aria-expanded]').getAttribute('aria-expanded')) === 'false') {
      await page.keyboard.press('Enter')
      await expect(page.locator('[aria-expanded]')).toHaveAttribute('aria-expanded', 'true')
    }
    await page.keyboard.press('Tab')
  }
  expect(await focused(page)).toBe(action)
}

/** Shows the whole offer: hovers the peeling corner, clicks the slideout tab. */
export async function reveal(page: Page, format: FormatName) {
  if (format === 'peeling') {
    const width = page.viewportSize()!.width
    await page.mouse.move(width - 20, 20)
  }
  if (format === 'slideout') await page.locator('[aria-expanded]').click()
}

export type Rect = { left: number; top: number; right: number; bottom: number; width: number; height: number }

/** The rectangles of the offer's card (the accept button's parent) and of its host, the offer's box. */
export function rects(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    const plain = (r: DOMRect) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height })
    return { card: plain(root.querySelector('[data-lp-action="accept"]')!.parentElement!.getBoundingClientRect()), box: plain(root.host.getBoundingClientRect()) }
  }) as Promise<{ card: Rect; box: Rect }>
}

/** Who gets a tap at (x, y): the offer or the page. */
export function hit(page: Page, x: number, y: number) {
  return page.evaluate(([x, y]) => {
    const target = document.elementFromPoint(x!, y!)
    return target?.closest('[data-lp-engagement]') ? 'offer' : target ? 'page' : 'nothing'
  }, [x, y])
}

/** WCAG 2.x contrast ratio of two computed `rgb()`/`rgba()` colours (opaque ones). */
export function contrast(foreground: string, background: string) {
  const luminance = (colour: string) => {
    const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((value) => {
      const c = Number(value) / 255
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a)
  return (light! + 0.05) / (dark! + 0.05)
}

/** The `LP_OFFERS` event names published so far, in order. */
export const offerEventNames = async (page: Page) => (await fired(page, 'LP_OFFERS')).map((e) => e.eventName)

/** The impression types the emulator accepted through the Report method (POST + PUT override), in order. */
export async function reportedImpressions(emulator: Emulator, count: number) {
  const reports = await waitForRequests(emulator, count, 'report')
  return reports.map((r) => {
    expect([r.method, r.headers['x-http-method-override'], r.status]).toEqual(['POST', 'PUT', 200])
    return r.body.engagementAttributes.map((a: { type: string }) => a.type).join()
  })
}

/**
 * Waits until nothing moves: no transition or animation running in the page or in an offer's
 * shadow root (an offer sliding in, the peeling corner opening). Polled on animation frames.
 */
export async function stillness(page: Page) {
  await page.waitForFunction(() => {
    const roots: (Document | ShadowRoot)[] = [document, ...[...document.querySelectorAll('[data-lp-engagement]')].flatMap((host) => (host.shadowRoot ? [host.shadowRoot] : []))]
    return roots.every((root) => root.getAnimations().every((animation) => animation.playState !== 'running'))
  })
}
