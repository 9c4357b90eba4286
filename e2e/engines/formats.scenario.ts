import { reportedImpressions, FORMATS, ENGAGEMENT } from '../support/offers.ts'
import { test, expect } from './fixtures.ts'
import { ACCEPT, CLOSE, openOffer, reveal, tabTo } from './offers.ts'

// Each of the six formats on each engine, through real input: rendered in its shadow root, accepted
// and declined by pointer, and worked by keyboard alone (Tab, Enter; Escape for the overlay).

for (const format of FORMATS) {
  test.describe(format, () => {
    test('rendered in an open shadow root, accepted by pointer: OFFER_CLICK and impAccept', async ({ tab, emulator }) => {
      await openOffer(tab, format)
      const shown = await tab.evaluate(() => {
        const host = document.querySelector('[data-lp-engagement]') as HTMLElement
        const root = host.shadowRoot!
        return {
          format: host.getAttribute('data-lp-format'),
          mode: root.mode,
          sheets: root.adoptedStyleSheets.length,
          styled: root.querySelectorAll('style, [style]').length + (host.hasAttribute('style') ? 1 : 0),
          title: root.querySelector('.t')?.textContent,
          accept: root.querySelector('[data-lp-action="accept"]')?.textContent,
          position: getComputedStyle(host).position,
        }
      })
      expect(shown).toEqual({ format, mode: 'open', sheets: 2, styled: 0, title: 'Need a hand?', accept: 'Chat now', position: format === 'embedded' ? 'static' : 'fixed' })
      // Only the overlay takes focus; the page's own field keeps it otherwise.
      expect(await tab.focused()).toBe(format === 'overlay' ? 'accept' : 'q')
      await reveal(tab, format)
      await tab.click(ACCEPT)
      await tab.waitForEvent('LP_OFFERS', 'OFFER_REMOVE')
      expect((await tab.offerEvents()).filter((e) => e !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_CLICK', 'OFFER_REMOVE'])
      expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impAccept'])
      // The hand-off to a conversation, with this session's ids.
      const [click] = await tab.waitForEvent('LP_OFFERS', 'OFFER_CLICK')
      const [session] = emulator.sessions('12345678')
      expect(click!.data.handoff.conversationContext).toEqual({ type: 'SharkContext', visitorId: session!.vid, sessionId: session!.sid, interactionContextId: click!.data.contextId, lang: 'en-US' })
      expect((await tab.probe()).lines).toEqual([])
    })

    if (format !== 'embedded') {
      test('declined by its close button: OFFER_DECLINED and impClose', async ({ tab, emulator }) => {
        await openOffer(tab, format)
        await reveal(tab, format)
        await tab.click(CLOSE)
        await tab.waitForEvent('LP_OFFERS', 'OFFER_REMOVE')
        expect((await tab.offerEvents()).filter((e) => e !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY', 'OFFER_DECLINED', 'OFFER_REMOVE'])
        expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impClose'])
        expect((await tab.probe()).lines).toEqual([])
      })
    }

    test('by keyboard alone: Tab to accept, Enter accepts', async ({ tab }) => {
      await openOffer(tab, format)
      await tabTo(tab, 'accept')
      await tab.press('Enter')
      await tab.waitForEvent('LP_OFFERS', 'OFFER_CLICK')
      expect((await tab.probe()).lines).toEqual([])
    })
  })
}

test('overlay: focus moves in, Tab stays inside, Escape declines and gives focus back', async ({ tab, emulator }) => {
  await openOffer(tab, 'overlay')
  expect(await tab.focused()).toBe('accept')
  const seen: string[] = []
  for (let i = 0; i < 4; i++) {
    await tab.press('Tab')
    seen.push(await tab.focused())
  }
  expect(seen).toEqual(['close', 'accept', 'close', 'accept'])
  await tab.press('Shift+Tab')
  expect(await tab.focused()).toBe('close')
  await tab.press('Escape')
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DECLINED')
  expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impClose'])
  expect(await tab.focused()).toBe('q')
})

test('slideout: the card can take focus as soon as its tab opens it (a Tab right after Enter lands on it)', async ({ tab }) => {
  await openOffer(tab, 'slideout')
  const visibility = await tab.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    ;(root.querySelector('[aria-expanded]') as HTMLElement).click()
    const card = root.querySelector('[data-lp-action="accept"]')!.parentElement!
    // In the same task: no frame has passed yet.
    return getComputedStyle(card).visibility
  })
  expect(visibility).toBe('visible')
})

test('slideout: open, the tab reads Hide; Escape folds the card back to the tab, the offer staying', async ({ tab }) => {
  await openOffer(tab, 'slideout')
  await tabTo(tab, 'accept')
  const tabText = () => tab.evaluate(() => document.querySelector('[data-lp-engagement]')!.shadowRoot!.querySelector('[aria-expanded]')!.textContent)
  expect(await tabText()).toBe('Hide')
  await tab.press('Escape')
  expect(await tab.focused()).toBe('tab')
  expect(await tabText()).toBe('Need a hand?')
  expect((await tab.offerEvents()).filter((e) => e !== 'OFFER_IMPRESSION')).toEqual(['START', 'OFFER_DISPLAY'])
  expect((await tab.probe()).lines).toEqual([])
})

test('the dark theme draws the dark card, an agent line with it', async ({ tab }) => {
  const entry = { format: 'toaster', theme: 'dark', agent: 'Ana from Sales' }
  await tab.openTagPage({ attrs: { format: 'toaster' }, head: `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry })}</script>` })
  await tab.waitForEvent('LP_OFFERS', 'OFFER_DISPLAY')
  const drawn = await tab.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    return { card: getComputedStyle(root.querySelector('[aria-labelledby]')!).backgroundColor, agent: root.querySelector('.g')?.textContent }
  })
  expect(drawn).toEqual({ card: 'rgb(36, 41, 47)', agent: 'Ana from Sales' })
  expect((await tab.probe()).lines).toEqual([])
})
