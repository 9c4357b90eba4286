import { readdirSync, readFileSync } from 'node:fs'
import { ENGAGEMENT } from '../support/offers.ts'
import { test, expect } from './fixtures.ts'

// What each engine does its own way: Subresource Integrity on a script the tag inserts, named
// access on `document` (DOM clobbering), and computed styles of a hidden zone.

/** The offer UI chunk's file name in dist/. */
const chunkName = () => /offer-ui\.\w+\.js/.exec(readFileSync(new URL('../../dist/tag.js', import.meta.url), 'utf8'))![0]

test('Subresource Integrity: other bytes under the chunk\'s name never run; one console line, no offer', async ({ tab, site, emulator }) => {
  const chunk = chunkName()
  // A CDN copy of dist/ with the chunk swapped.
  for (const name of readdirSync(new URL('../../dist/', import.meta.url)).filter((each) => each.endsWith('.js'))) {
    const body = name === chunk ? 'window.__pwned = 1' : readFileSync(new URL(`../../dist/${name}`, import.meta.url), 'utf8')
    site.setPage(`/swapped/${name}`, { type: 'text/javascript', body, headers: { 'Access-Control-Allow-Origin': '*' } })
  }
  await tab.openTagPage({ noTag: true, head: `<script async src="${site.url}/swapped/tag.js" data-lp-account="12345678" data-lp-app="a1b2c3" data-lp-domain="${emulator.url}"></script>` })
  await tab.waitForEvent('LP_TAG', 'ENGAGEMENT')
  await tab.waitFor(() => (window as any).__probe.lines.some((line: { text: string }) => line.text.startsWith('[lpTag]')))
  expect((await tab.probe()).lines.filter((line) => line.text.startsWith('[lpTag]'))).toEqual([{ type: 'error', text: expect.stringMatching(/offers cannot be drawn: .*integrity/) }])
  expect(await tab.evaluate(() => (window as any).__pwned)).toBeUndefined()
  expect(await tab.offerEvents()).not.toContain('OFFER_DISPLAY')
})

test('<img name="body"> in page content takes neither the offer nor the debug panel', async ({ tab }) => {
  await tab.openTagPage({ head: `<script type="application/json" data-lp-engagements>{"${ENGAGEMENT}": {"format": "toaster"}}</script>`, body: '<main><h1>x</h1><img name="body" alt=""></main>' })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  await tab.evaluate(() => (window as any).lpTag.debug())
  const placed = await tab.waitFor(() => {
    const panel = document.getElementById('lp-debug-host')
    const offer = document.querySelector('[data-lp-engagement]')
    const seen = (element: Element | null) => !!element && element.getBoundingClientRect().width > 0
    return panel && seen(panel) && { panel: panel.parentElement!.tagName, offer: offer?.parentElement?.tagName, offerSeen: seen(offer) }
  })
  // Without popovers, an offer goes to <html> instead of <body>: either is drawn, never the <img>.
  expect(placed).toEqual({ panel: 'BODY', offer: expect.stringMatching(/^(BODY|HTML)$/), offerSeen: true })
})

test('an embedded offer skips a zone in the page\'s visually-hidden class', async ({ tab }) => {
  await tab.openTagPage({
    head: `<style>.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}</style><script type="application/json" data-lp-engagements>{"${ENGAGEMENT}": {"format": "embedded", "zone": "help-box"}}</script>`,
    body: '<main><h1>x</h1><div class="sr-only"><div data-lp-zone="help-box"></div></div><div id="brand" data-lp-zone="help-box"></div></main>',
  })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  expect(await tab.evaluate(() => document.querySelector('[data-lp-engagement]')!.parentElement!.id)).toBe('brand')
})
