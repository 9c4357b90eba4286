import { readFileSync } from 'node:fs'
import { FORMATS, type FormatName } from '../support/offers.ts'
import { test, expect, type Tab } from './fixtures.ts'
import { openOffer, reveal } from './offers.ts'

// Right to left on each engine (contract section 6): on a Hebrew page every format is the mirror
// image of itself on an English page (corner, close control, slide-out side, text alignment), and
// a right-to-left engagement language mirrors an offer on a left-to-right page.

type Box = { left: number; right: number; top: number; bottom: number }
type Geometry = { width: number; dir: string | null; parts: Record<string, Box> }

/** The boxes a visitor sees: the card, its close and accept controls, the title's text, the slide-out tab. */
async function geometry(tab: Tab, format: FormatName): Promise<Geometry> {
  await reveal(tab, format)
  return measure(tab)
}

function measure(tab: Tab): Promise<Geometry> {
  return tab.evaluate(() => {
    const host = document.querySelector('[data-lp-engagement]')!
    const parts: Record<string, Box> = {}
    for (const [name, selector] of Object.entries({ card: '.b', close: '.c', accept: '.a', title: '.t bdi', tab: '[aria-expanded]' })) {
      const found = host.shadowRoot!.querySelector(selector)
      if (!found) continue
      const { left, right, top, bottom } = found.getBoundingClientRect()
      parts[name] = { left: Math.round(left), right: Math.round(right), top: Math.round(top), bottom: Math.round(bottom) }
    }
    return { width: document.documentElement.clientWidth, dir: host.getAttribute('dir'), parts }
  })
}

/** `box` reflected in a vertical line through the middle of a viewport `width` wide. */
const mirrored = (box: Box, width: number): Box => ({ left: width - box.right, right: width - box.left, top: box.top, bottom: box.bottom })

/** Within 2.5 px of `box` on every side (sub-pixel text widths differ by engine and font). */
const near = (box: Box) => ({
  left: expect.closeTo(box.left, -0.7),
  right: expect.closeTo(box.right, -0.7),
  top: expect.closeTo(box.top, -0.7),
  bottom: expect.closeTo(box.bottom, -0.7),
})

for (const format of FORMATS) {
  test(`${format}: on a right-to-left page, the mirror image of itself on a left-to-right page`, async ({ tab }) => {
    await openOffer(tab, format, { lang: 'en-US' })
    const ltr = await geometry(tab, format)
    await openOffer(tab, format, { lang: 'he', dir: 'rtl' })
    const rtl = await geometry(tab, format)
    expect([ltr.dir, rtl.dir]).toEqual(['ltr', 'rtl'])
    expect(Object.keys(rtl.parts)).toEqual(Object.keys(ltr.parts))
    const expected = Object.fromEntries(Object.entries(ltr.parts).map(([name, box]) => [name, near(mirrored(box, ltr.width))]))
    expect(rtl.parts).toEqual(expected)
    // Not symmetric to begin with: the close control (the embedded card has none: its title) is on the other half.
    const sided = ltr.parts.close ?? ltr.parts.title!
    expect(sided.left, 'left to right, the close control or title starts right of where it ends mirrored').not.toBeCloseTo(mirrored(sided, ltr.width).left, -1)
  })
}

test.describe('an engagement in Hebrew on an English page', () => {
  test.use({ campaigns: withLanguage('he-IL') })

  test('mirrors (toaster in the bottom-left corner, close on its left) and names its close control in Hebrew', async ({ tab }) => {
    await openOffer(tab, 'toaster', { lang: 'en-US' })
    const { width, dir, parts } = await geometry(tab, 'toaster')
    expect(dir).toBe('rtl')
    expect(parts.card!.left).toBeLessThan(width / 2)
    expect(parts.close!.right).toBeLessThan(parts.accept!.left + 1)
    expect(await tab.evaluate(() => document.querySelector('[data-lp-engagement]')!.shadowRoot!.querySelector('.c')!.getAttribute('aria-label'))).toBe('סגירה')
  })
})

/** `e2e/server/campaigns.json` with every campaign in `language`. */
function withLanguage(language: string) {
  const all = JSON.parse(readFileSync(new URL('../server/campaigns.json', import.meta.url), 'utf8'))
  for (const account of Object.values<{ campaigns: { language?: string }[] }>(all.accounts)) for (const campaign of account.campaigns) campaign.language = language
  return all
}
