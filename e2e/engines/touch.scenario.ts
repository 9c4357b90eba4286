import { FORMATS } from '../support/offers.ts'
import { test, expect, type Tab } from './fixtures.ts'
import { ACCEPT, CLOSE, openOffer, reveal } from './offers.ts'

// Touch phones: a phone-sized viewport with a touch screen, taps only. Each format opens (the
// peeling corner and the slide-out tab included), accepts and closes by taps; it never covers
// the page's own controls outside its drawn box, and a tap outside it reaches the page.

test.use({ touch: true })

/** A page grid of its own buttons, 4 across, 7 down, each counting its taps. */
const GRID = `<div id="grid">${Array.from({ length: 28 }, (_, i) => `<button class="page-control" id="c${i}">${i}</button>`).join('')}</div>
<style>#grid{position:fixed;inset:0;display:grid;grid-template-columns:repeat(4,1fr);grid-template-rows:repeat(7,1fr)}.page-control{margin:12px;font:14px sans-serif}</style>
<script>window.taps = {}; document.getElementById('grid').addEventListener('click', (e) => { const id = e.target.id; if (id) window.taps[id] = (window.taps[id] || 0) + 1 })</script>`

/** The page's buttons whose centre lies outside every box the offer draws, and which of them the offer covers. */
function pageControls(tab: Tab) {
  return tab.evaluate(() => {
    const host = document.querySelector('[data-lp-engagement]')!
    const drawn = [host, ...host.shadowRoot!.querySelectorAll('*')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width && r.height && getComputedStyle(document.body).visibility === 'visible')
    const outside = [...document.querySelectorAll<HTMLElement>('.page-control')]
      .map((button) => {
        const r = button.getBoundingClientRect()
        return { id: button.id, x: r.left + r.width / 2, y: r.top + r.height / 2 }
      })
      .filter(({ x, y }) => !drawn.some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom))
    return { outside, covered: outside.filter(({ id, x, y }) => document.elementFromPoint(x, y)?.id !== id).map(({ id }) => id) }
  })
}

for (const format of FORMATS) {
  test.describe(format, () => {
    test('taps alone: opened and accepted; the page\'s own controls outside it stay reachable', async ({ tab }) => {
      // The page's grid of controls lies over the whole viewport: for the fixed formats, which are drawn above the page.
      const fixed = format !== 'overlay' && format !== 'embedded'
      await openOffer(tab, format, { body: fixed ? GRID : '' })
      // Measured once it has slid in: a box caught mid-way covers other controls than the drawn one.
      await tab.rest()
      const viewport = await tab.evaluate(() => ({ width: innerWidth, height: innerHeight, touch: navigator.maxTouchPoints }))
      expect(viewport.width).toBeLessThan(480)
      const box = (await tab.box('[data-lp-engagement]'))!
      expect(box.left).toBeGreaterThanOrEqual(0)
      expect(box.right).toBeLessThanOrEqual(viewport.width + 0.5)
      if (fixed) {
        // Closed or open, the offer covers nothing of the page outside its own box.
        const closed = await pageControls(tab)
        expect(closed.outside.length).toBeGreaterThan(10)
        expect(closed.covered).toEqual([])
        const target = closed.outside[0]!
        await tab.page.tapAt(target.x, target.y)
        await tab.waitFor((id) => (window as any).taps[id] === 1, target.id, { message: `a tap on ${target.id} to reach the page` })
      }
      await reveal(tab, format, 'tap')
      if (fixed) expect((await pageControls(tab)).covered).toEqual([])
      await tab.tap(ACCEPT)
      await tab.waitForEvent('LP_OFFERS', 'OFFER_CLICK')
      expect((await tab.probe()).lines).toEqual([])
    })

    if (format !== 'embedded')
      test('taps alone: opened and closed', async ({ tab }) => {
        await openOffer(tab, format)
        await reveal(tab, format, 'tap')
        await tab.tap(CLOSE)
        await tab.waitForEvent('LP_OFFERS', 'OFFER_DECLINED')
      })
  })
}

test('overlay: a tap outside the card, on its backdrop, declines it', async ({ tab }) => {
  await openOffer(tab, 'overlay')
  const card = (await tab.box('[data-lp-engagement] >> [role="dialog"]'))!
  await tab.page.tapAt(card.x, Math.max(4, card.top / 2))
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DECLINED')
})
