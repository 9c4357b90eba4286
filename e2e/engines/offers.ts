import { ENGAGEMENT, type FormatName } from '../support/offers.ts'
import { expect, type Tab } from './fixtures.ts'

export const ACCEPT = '[data-lp-engagement] >> [data-lp-action="accept"]'
export const CLOSE = '[data-lp-engagement] >> [data-lp-action="close"]'
export const TAB = '[data-lp-engagement] >> [aria-expanded]'

/** Opens a page whose own search field has focus, with the tag and a catalog giving the site-wide engagement `format`. */
export async function openOffer(tab: Tab, format: FormatName, extra: { head?: string; body?: string; lang?: string; dir?: 'rtl' | 'ltr' } = {}) {
  const entry = { format, title: 'Need a hand?', text: 'Our team is online and happy to help.', button: 'Chat now', ...(format === 'embedded' ? { zone: 'help-box' } : {}) }
  await tab.openTagPage({
    lang: extra.lang,
    dir: extra.dir,
    attrs: { format },
    head: `${extra.head ?? ''}<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry })}</script>`,
    body: `<main><h1>Test page</h1><p>Some page text.</p><input id="q" aria-label="Search"><script>document.getElementById('q').focus()</script>${
      format === 'embedded' ? '<div data-lp-zone="help-box"></div>' : ''
    }<p>More page text.</p>${extra.body ?? ''}</main>`,
  })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
}

/** Shows the whole offer the way a visitor does (the peeling corner and the slide-out's tab open on a click), then waits until it is at rest. */
export async function reveal(tab: Tab, format: FormatName, how: 'click' | 'tap' = 'click') {
  if (format === 'peeling') {
    const corner = (await tab.box('[data-lp-engagement]'))!
    // The curl is the 80 px square in the top corner on the page's end side (the left one, right to
    // left). Its inner half: where the opened card has text, not its close button, which a slow
    // press would otherwise land on once hovering has opened the card.
    const rtl = await tab.evaluate(() => document.querySelector('[data-lp-engagement]')!.getAttribute('dir') === 'rtl')
    const x = rtl ? corner.left + 60 : corner.right - 60
    await (how === 'tap' ? tab.page.tapAt(x, corner.top + 60) : tab.page.clickAt(x, corner.top + 60))
    await tab.waitFor(() => !!document.querySelector('[data-lp-engagement]')!.shadowRoot!.querySelector('.b:hover'), undefined, { message: 'the peeling corner to open' })
  }
  if (format === 'slideout') {
    await (how === 'tap' ? tab.tap(TAB) : tab.click(TAB))
    await tab.waitFor(() => !!document.querySelector('[data-lp-engagement]')!.shadowRoot!.querySelector('[aria-expanded=true]'), undefined, { message: 'the slide-out to open' })
  }
  await tab.rest()
}

/** Presses Tab until `action`'s control has focus, opening a closed slide-out tab with Enter on the way. */
export async function tabTo(tab: Tab, action: 'accept' | 'close') {
  for (let presses = 0; presses < 8 && (await tab.focused()) !== action; presses++) {
    if ((await tab.focused()) === 'tab' && !(await tab.evaluate(() => document.querySelector('[data-lp-engagement]')!.shadowRoot!.querySelector('[aria-expanded=true]')))) {
      await tab.press('Enter')
    }
    await tab.press('Tab')
  }
  expect(await tab.focused()).toBe(action)
}

