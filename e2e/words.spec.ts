import { readFileSync } from 'node:fs'
import { test, expect, ACCOUNT } from './support/fixtures.ts'
import { ENGAGEMENT, openOffer, type FormatName } from './support/offers.ts'
import type { Page } from '@playwright/test'

// The words the tag itself shows or puts in an accessible name (contract section 6): the catalog's
// `labels`, else the engagement's language, else the page's `<html lang>`, else English.

/** `e2e/server/campaigns.json` with every campaign in `language` (none: the API gives no language). */
function campaignsIn(language: string | undefined) {
  const all = JSON.parse(readFileSync(new URL('./server/campaigns.json', import.meta.url), 'utf8'))
  for (const campaign of all.accounts[ACCOUNT].campaigns) {
    if (language) campaign.language = language
    else delete campaign.language
  }
  return all
}

/** The words on the offer now: the close control's name, the slide-out tab, the peeling cue, the title, text and button. */
function shownWords(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    return {
      close: root.querySelector('[data-lp-action="close"]')?.getAttribute('aria-label'),
      tab: root.querySelector('[aria-expanded]')?.textContent,
      cue: root.querySelector('[role="img"]')?.getAttribute('aria-label'),
      title: root.querySelector('.t')?.textContent,
      text: root.querySelector('.x')?.textContent,
      button: root.querySelector('[data-lp-action="accept"]')?.textContent,
    }
  })
}

/** Opens `format` with a catalog entry of only the format (and `extra`): every word is the tag's own. */
async function openBare(page: Page, openTagPage: Parameters<typeof openOffer>[1], format: FormatName, extra: object = {}, lang = 'en-US') {
  await openTagPage({
    lang,
    attrs: { format },
    head: `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: { format, ...extra } })}</script>`,
  })
  await page.waitForFunction(() => (window as any).lpTag.events.hasFired('LP_OFFERS', 'OFFER_DISPLAY').length)
}

test.describe('an engagement in French', () => {
  test.use({ campaigns: campaignsIn('fr-FR') })

  test('on an English page, every word of the tag is French: close, the open tab, the title, text and button a catalog left out', async ({ page, openTagPage, consoleLines }) => {
    await openBare(page, openTagPage, 'slideout')
    await page.locator('[data-lp-engagement] [aria-expanded]').click()
    expect(await shownWords(page)).toEqual({
      close: 'Fermer',
      tab: 'Masquer',
      cue: undefined,
      title: 'Des questions\u00a0?',
      text: 'Nous sommes en ligne et ravis de vous aider.',
      button: 'Discuter maintenant',
    })
    expect(consoleLines).toEqual([])
  })

  test('the catalog\'s labels win over the built-in words; a wrong label names itself and keeps the French word', async ({ page, openTagPage, consoleLines }) => {
    await openBare(page, openTagPage, 'peeling', { labels: { close: 'Plus tard', cue: 'Parlons-en', hide: 42 } })
    const words = await shownWords(page)
    expect([words.close, words.cue]).toEqual(['Plus tard', 'Parlons-en'])
    await openBare(page, openTagPage, 'slideout', { labels: { hide: 42 } })
    await page.locator('[data-lp-engagement] [aria-expanded]').click()
    expect((await shownWords(page)).tab).toBe('Masquer')
    // One line on each page view whose catalog has it.
    const line = { type: 'warning', text: `[lpTag] engagement catalog ${ENGAGEMENT}.labels.hide ignored: text of 1-40 characters` }
    expect(consoleLines).toEqual([line, line])
  })

  test('a polluted Object.prototype puts no words on the offer', async ({ page, openTagPage }) => {
    await openBare(page, openTagPage, 'toaster', {}, 'en-US')
    const clean = await shownWords(page)
    await page.addInitScript(() => {
      Object.assign(Object.prototype, { labels: { close: 'Call +1 555 0100' }, close: 'Call +1 555 0100', title: 'Security alert' })
    })
    await openBare(page, openTagPage, 'toaster', {}, 'en-US')
    expect(await shownWords(page)).toEqual(clean)
  })
})

test.describe('an engagement the API gives no language', () => {
  test.use({ campaigns: campaignsIn(undefined) })

  for (const [lang, close, cue] of [
    ['de-DE', 'Schließen', 'Chat'],
    ['ja', '閉じる', 'チャット'],
    ['pt-BR', 'Fechar', 'Chat'],
    ['xx', 'Close', 'Chat'],
  ] as const) {
    test(`on a page in ${lang}, the page's language (English when the tag has none for it)`, async ({ page, openTagPage }) => {
      await openBare(page, openTagPage, 'peeling', {}, lang)
      const words = await shownWords(page)
      expect([words.close, words.cue]).toEqual([close, cue])
    })
  }
})

test('an engagement in English on a French page stays English: the engagement\'s language comes first', async ({ page, openTagPage }) => {
  await openOffer(page, openTagPage, 'toaster')
  await openBare(page, openTagPage, 'toaster', {}, 'fr')
  expect((await shownWords(page)).close).toBe('Close')
})
