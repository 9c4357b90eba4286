import type { Page } from '@playwright/test'
import { test, expect, waitForEvent, waitForRequests, fired, tagScript, ACCOUNT, APP, type Emulator, type Site, quiet } from './support/fixtures.ts'
import { lpSnippet } from './support/lp-snippet.ts'
import { offerEventNames, reportedImpressions } from './support/offers.ts'

// Code written for LivePerson's own tag, run unchanged against this one (contract section 2):
// its standard snippet before and after the tag, newPage from a router, SDEs pushed after load,
// proactive scripts using the Engagement Trigger API, hooks, and a delayed start. Written from
// LivePerson's documented snippets and behaviour (developer docs: Web Tag events, SDEs, newPage,
// Engagement Trigger API, Hooks).

const NO_CAMPAIGNS = { accounts: { [ACCOUNT]: { apps: [APP], campaigns: [] } } }

/** Records every request for LivePerson's own tag (lptag.liveperson.net): there must be none. */
async function livePersonLoads(page: Page) {
  const loads: string[] = []
  await page.route(/liveperson\.net/, (route) => (loads.push(route.request().url()), route.fulfill({ status: 204, body: '' })))
  return loads
}

/** A page of the site with `head` and `body` as given (the tag's script placed by the caller). */
async function open(page: Page, site: Site, path: string, head: string, body = '<main><h1>Shop</h1></main>') {
  site.setPage(path, `<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>shop</title>${head}</head><body>${body}</body></html>`)
  await page.goto(`${site.url}${path}`)
}

/** The tag as a synchronous script, its account left to the pre-load object (LivePerson's snippet sets `site`). */
const syncTag = (emulator: Emulator, attrs: Record<string, string | true> = {}) =>
  tagScript({ app: APP, domain: emulator.url, ...attrs }).replace('<script async ', '<script ')

test.describe("LivePerson's standard snippet", () => {
  test('before the tag: its stub is adopted (site, section string, SDEs, identities), its queued binds and triggers replayed in order; nothing loads LivePerson\'s tag.js', async ({ page, site, emulator, consoleLines }) => {
    const loads = await livePersonLoads(page)
    await open(
      page,
      site,
      '/dropin/before.html',
      // The snippet kept while moving, stopped from loading LivePerson's tag as the README says.
      `<script>window.lpTag = { sdes: [{ type: 'cart', total: 12 }] }; window._lptStop = true</script>
${lpSnippet(ACCOUNT, 'sales')}
<script>
  window.heard = []
  // Integration code bound through the stub before any tag loaded.
  lpTag.events.bind('LP_OFFERS', 'START', (data) => heard.push('START ' + data.engagementId))
  lpTag.events.bind('MY_SHOP', 'CART_READY', (data) => heard.push('CART_READY ' + data.items))
  lpTag.events.trigger('MY_SHOP', 'CART_READY', { items: 3 })
  lpTag.events.bind('LPT', 'DOM_READY', () => heard.push('DOM_READY'))
  lpTag.sdes.push({ type: 'ctmrinfo', info: { ctype: 'gold' } })
  lpTag.identities.push({ iss: 'https://auth.example', acr: 'loa1', sub: 'c-42' })
</script>
${syncTag(emulator)}`,
    )
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const [request] = emulator.received('engagement')
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(request!.body.entryPoints).toContain('sec://sales')
    expect(request!.body.engagementAttributes).toEqual([{ type: 'cart', total: 12 }, { type: 'ctmrinfo', info: { ctype: 'gold' } }])
    expect(request!.body.identities[1]).toEqual({ iss: 'https://auth.example', acr: 'loa1', sub: 'c-42' })
    // The Sales toaster of the sales section, heard by the listener bound through the stub.
    await expect.poll(() => page.evaluate(() => (window as any).heard)).toEqual(['CART_READY 3', 'DOM_READY', 'START 3562981110'])
    expect(await page.evaluate(() => [(window as any).lpTag.isDom, (window as any).lpTag._tagCount, typeof (window as any).lpTag.newPage])).toEqual([true, 1, 'function'])
    // The stub's loader, called again by page code, loads nothing any more.
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.load()
      tag._load()
      tag.init()
    })
    await quiet(page, emulator)
    expect(loads).toEqual([])
    expect(consoleLines).toEqual([])
  })

  test('after the tag: it counts the tag and leaves window.lpTag alone; newPage and bind keep working; LivePerson\'s tag.js never loads', async ({ page, site, emulator, consoleLines }) => {
    const loads = await livePersonLoads(page)
    await open(page, site, '/dropin/after.html', `${syncTag(emulator, { account: ACCOUNT })}${lpSnippet(ACCOUNT)}`)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const state = await page.evaluate(() => {
      const tag = (window as any).lpTag
      let heard = 0
      tag.events.bind('MY_SHOP', 'PING', () => heard++)
      tag.events.trigger('MY_SHOP', 'PING')
      tag.newPage('/dropin/checkout')
      return { count: tag._tagCount, loaded: tag.loaded, heard }
    })
    expect(state).toEqual({ count: 2, loaded: true, heard: 1 })
    await waitForRequests(emulator, 2)
    await quiet(page, emulator)
    expect(loads).toEqual([])
    expect(consoleLines).toEqual([])
  })

  test('isDom is true once the document is parsed, with no snippet at all', async ({ page, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'READY')
    expect(await page.evaluate(() => (window as any).lpTag.isDom)).toBe(true)
  })
})

test.describe('newPage', () => {
  test('section as a comma-separated string, unknown options (taglets) ignored, SDEs pushed just before it not lost', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.sdes.push({ type: 'purchase', total: 78, orderId: 'A-1001' })
      tag.newPage('/dropin/thanks', { section: 'checkout, thanks', taglets: { rendererStub: { divIdsToKeep: { cart: true } } } })
    })
    const [, second] = await waitForRequests(emulator, 2)
    expect(second!.body.entryPoints.filter((e: string) => e.startsWith('sec://'))).toEqual(['sec://checkout', 'sec://thanks'])
    expect(second!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 78, orderId: 'A-1001' }])
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(2)
    expect(consoleLines).toEqual([])
  })
})

test.describe('SDEs are never lost', () => {
  test.describe('with no offer showing', () => {
    test.use({ campaigns: NO_CAMPAIGNS })
    test('pushed after load: a new engagement check within one round trip; several pushes in one task, one request', async ({ page, emulator, openTagPage }) => {
      await openTagPage()
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      await page.evaluate(() => {
        const tag = (window as any).lpTag
        tag.sdes.push({ type: 'purchase', total: 78, orderId: 'A-1001' })
        tag.sdes.push({ type: 'ctmrinfo', info: { ctype: 'gold' } })
      })
      const [, second] = await waitForRequests(emulator, 2)
      expect(second!.body.engagementAttributes.map((sde: { type: string }) => sde.type)).toEqual(['purchase', 'ctmrinfo'])
      await quiet(page, emulator)
      expect(emulator.received('engagement')).toHaveLength(2)
    })

    test('send(sdes, callback): the callback hears the request ended, delivered', async ({ page, emulator, openTagPage }) => {
      await openTagPage()
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      const delivered = await page.evaluate(() => new Promise((resolve) => (window as any).lpTag.sdes.send({ type: 'lead', lead: { topic: 'loans' } }, resolve)))
      expect(delivered).toBe(true)
      expect(emulator.received('engagement')[1]!.body.engagementAttributes).toEqual([{ type: 'lead', lead: { topic: 'loans' } }])
    })

    test('pushed while a check is in flight: they go right after it, in one more request', async ({ page, emulator, openTagPage }) => {
      emulator.fault({ delayMs: 500 })
      await openTagPage()
      await waitForRequests(emulator, 1)
      await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'purchase', total: 5 }))
      const [, second] = await waitForRequests(emulator, 2)
      expect(second!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 5 }])
    })
  })

  test('pushed while an offer shows: one Report in its session carrying them all; send calls back', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await reportedImpressions(emulator, 1)
    const delivered = await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.sdes.push({ type: 'purchase', total: 78 })
      return new Promise((resolve) => tag.sdes.send({ type: 'ctmrinfo', info: { ctype: 'gold' } }, resolve))
    })
    expect(delivered).toBe(true)
    const reports = emulator.received('report')
    expect(reports).toHaveLength(2)
    expect(reports[1]!.body.engagementAttributes.map((sde: { type: string }) => sde.type)).toEqual(['purchase', 'ctmrinfo'])
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('a send whose request fails calls back with false', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await reportedImpressions(emulator, 1)
    emulator.fault({ kind: 'report', status: 400, internalCode: 5, message: 'bad' })
    const delivered = await page.evaluate(() => new Promise((resolve) => (window as any).lpTag.sdes.send({ type: 'purchase', total: 1 }, resolve)))
    expect(delivered).toBe(false)
  })
})

test('LP_OFFERS data carries windowId, skillId, skillName and language when the API gave them', async ({ page, openTagPage }) => {
  await openTagPage({ attrs: { section: 'sales' } })
  const [start] = await waitForEvent(page, 'LP_OFFERS', 'START')
  expect(start!.data).toMatchObject({ engagementId: 3562981110, windowId: '3346847910', skillId: 3346849010, skillName: 'Sales', language: 'en-US' })
})

test.describe('the Engagement Trigger API (lpTag.taglets.rendererStub)', () => {
  test('click accepts the offer showing for that engagement; info and state answer as documented', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' } })
    const [start] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const id = start!.data.engagementId
    // The display's report first: the accept below sends its own, and two requests in flight
    // together reach the server in the network's order, not the page's.
    await reportedImpressions(emulator, 1)
    const answers = await page.evaluate((engagementId) => {
      const stub = (window as any).lpTag.taglets.rendererStub
      return {
        info: stub.getEngagementInfo(engagementId),
        infoOther: stub.getEngagementInfo(1),
        state: stub.getEngagementState(String(engagementId)),
        stateOther: stub.getEngagementState(1),
        clickOther: stub.click(1),
        click: stub.click(engagementId),
        again: stub.click(engagementId),
      }
    }, id)
    expect(answers.info).toEqual(start!.data)
    expect(answers.infoOther).toEqual({})
    expect(answers.state).toEqual({ state: 1, desc: 'online', engagementId: String(id) })
    expect(answers.stateOther).toEqual({ state: 0, desc: 'NA', engagementId: 1 })
    expect([answers.clickOther, answers.click, answers.again]).toEqual([false, true, false])
    expect(await offerEventNames(page)).toContain('OFFER_CLICK')
    expect(await reportedImpressions(emulator, 2)).toEqual(['impDisplay', 'impAccept'])
  })

  test('a proactive script accepting from an LP_OFFERS listener, reading data.windowId', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      head: `<script>window.lpTag = { events: [['LP_OFFERS', 'OFFER_IMPRESSION', (data) => {
        window.seenWindow = data.windowId
        lpTag.taglets.rendererStub.click(data.engagementId)
      }]] }</script>`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
    expect(await page.evaluate(() => (window as any).seenWindow)).toBe('3346847910')
    // The accept comes a frame after the display, each in its own report: both in flight at once,
    // they arrive in either order (each survives unload on its own; neither waits for the other).
    expect((await reportedImpressions(emulator, 2)).sort()).toEqual(['impAccept', 'impDisplay'])
  })
})

test.describe('hooks', () => {
  test('BEFORE_ENG_DISPLAY pushed before load changes the look; a throwing hook is logged and skipped', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({
      attrs: { format: 'toaster' },
      head: `<script>window.lpTag = { hooks: [
        { name: 'BEFORE_ENG_DISPLAY', callback: () => { throw new Error('broken hook') } },
        { name: 'BEFORE_ENG_DISPLAY', callback: (options) => { options.data.look.title = 'Hello ' + options.data.engagement.engagementId; options.data.look.accent = 'not a colour'; return options } },
        { name: 'BEFORE_ENG_DISPLAY', callback: () => 'not an object' },
      ] }</script>`,
    })
    const [start] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await expect(page.locator('[data-lp-engagement] >> .t')).toHaveText(`Hello ${start!.data.engagementId}`)
    expect(consoleLines).toEqual([
      { type: 'error', text: expect.stringContaining('a BEFORE_ENG_DISPLAY hook threw') },
      { type: 'warning', text: expect.stringContaining('BEFORE_ENG_DISPLAY hook: look.accent ignored') },
    ])
  })

  test('BEFORE_ENG_DISPLAY can cancel the offer: nothing shows, nothing is reported', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: `<script>window.lpTag = { hooks: [{ name: 'BEFORE_ENG_DISPLAY', callback: (options) => ({ data: { ...options.data, cancel: true } }) }] }</script>` })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await quiet(page, emulator)
    expect(await offerEventNames(page)).toEqual([])
    expect(emulator.received('report')).toEqual([])
  })

  test('BEFORE_SUBMIT_SDE pushed after load redacts and drops SDEs before they leave the page', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: `<script>window.lpTag = { sdes: [{ type: 'personal', personal: { firstname: 'Jane' } }] }</script>`, attrs: { consent: 'pending' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.hooks.push({
        name: 'BEFORE_SUBMIT_SDE',
        callback: (options: any) => {
          options.data.sdes = options.data.sdes.filter((sde: any) => sde.type !== 'personal').map((sde: any) => (sde.type === 'ctmrinfo' ? { ...sde, info: { ...sde.info, customerId: 'redacted' } } : sde))
          return options
        },
      })
      tag.sdes.push({ type: 'ctmrinfo', info: { customerId: 'C-12345', ctype: 'gold' } })
      tag.consent(true)
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([{ type: 'ctmrinfo', info: { customerId: 'redacted', ctype: 'gold' } }])
    // What the page holds is its own: only what leaves is redacted.
    expect(await page.evaluate(() => (window as any).lpTag.sdes.get('personal').length)).toBe(1)
  })
})

test.describe('delayed start', () => {
  test('autoStart: false holds the first check: nothing sent, no database, until lpTag.start()', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: '<script>window.lpTag = { autoStart: false }</script>' })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'purchase', total: 1 }))
    await quiet(page, emulator)
    expect(emulator.requests).toEqual([])
    expect(await page.evaluate(() => indexedDB.databases())).toEqual([])
    expect((await page.evaluate(() => (window as any).lpTag.getEngagement())).error.code).toBe('held')
    await page.evaluate(() => (window as any).lpTag.start())
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 1 }])
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('LivePerson\'s snippet with autoStart false before it: held the same way', async ({ page, site, emulator }) => {
    await open(page, site, '/dropin/held.html', `<script>window.lpTag = { autoStart: false, _lptStop: true }; window._lptStop = true</script>${lpSnippet(ACCOUNT)}${syncTag(emulator)}`)
    await waitForEvent(page, 'LP_TAG', 'READY')
    await quiet(page, emulator)
    expect(emulator.requests).toEqual([])
    await page.evaluate(() => (window as any).lpTag.start())
    await waitForRequests(emulator, 1)
  })
})

test('members this tag does not have (LivePerson\'s chat window, its other APIs): calling them never breaks the tag', async ({ page, emulator, openTagPage }) => {
  await openTagPage()
  await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
  const outcomes = await page.evaluate(() => {
    const tag = (window as any).lpTag
    const calls = [
      () => tag.taglets.lpUnifiedWindow.open(),
      () => tag.taglets.ChatOverRestAPI.startChat(),
      () => (window as any).lpMethods.getLPID(),
      () => (window as any).lpGetAuthenticationToken((token: string) => token),
    ]
    return calls.map((call) => {
      try {
        call()
        return 'ran'
      } catch (error) {
        return (error as Error).name
      }
    })
  })
  expect(outcomes).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError'])
  const result = await page.evaluate(() => (window as any).lpTag.getEngagement())
  expect(result.status).toBe('Available')
  expect((await fired(page, 'LP_TAG', 'ERROR'))).toEqual([])
  await waitForRequests(emulator, 2)
})

// Found by a review that ran integration code against the tag: each test failed before its fix.
test.describe('integration code, beyond the first round', () => {
  test('newPage from a router before the document is parsed: the first request is for that page view', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      noTag: true,
      head: syncTag(emulator, { account: ACCOUNT }),
      body: `<main></main><script>lpTag.newPage('/checkout/thanks', { section: ['checkout'], sdes: [{ type: 'purchase', total: 78, orderId: 'A-1' }] })</script>`,
    })
    const [first] = await waitForRequests(emulator, 1)
    expect(first!.body.entryPoints[0]).toMatch(/\/checkout\/thanks$/)
    expect(first!.body.entryPoints).toContain('sec://checkout')
    expect(first!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 78, orderId: 'A-1' }])
    await quiet(page, emulator)
    expect(emulator.received('engagement')).toHaveLength(1)
  })

  test('SDEs whose request failed go with the next one: newPage during a retry pause loses nothing', async ({ page, emulator, openTagPage }) => {
    emulator.fault({ status: 503 })
    await openTagPage({ head: `<script>window.lpTag = { sdes: [{ type: 'purchase', total: 78, orderId: 'A-1' }] }</script>` })
    await waitForEvent(page, 'LP_TAG', 'RETRY')
    await page.evaluate(() => (window as any).lpTag.newPage('/next'))
    const [first, second] = await waitForRequests(emulator, 2)
    expect(first!.status).toBe(503)
    expect(second!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 78, orderId: 'A-1' }])
  })

  test('consent withdrawn while the first check runs and given again: the page view gets its check, the send its callback', async ({ page, emulator, openTagPage }) => {
    emulator.fault({ delayMs: 800 })
    await openTagPage()
    await waitForRequests(emulator, 1)
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.consent(false)
      tag.sdes.send({ type: 'lead', lead: { topic: 'loans' } }, (delivered: boolean) => ((window as any).delivered = delivered))
    })
    await quiet(page, emulator)
    expect(await page.evaluate(() => (window as any).delivered)).toBeUndefined()
    await page.evaluate(() => (window as any).lpTag.consent(true))
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await expect.poll(() => page.evaluate(() => (window as any).delivered)).toBe(true)
    expect(emulator.received('engagement')[1]!.body.engagementAttributes).toEqual([{ type: 'lead', lead: { topic: 'loans' } }])
  })

  test('a BEFORE_SUBMIT_SDE hook that withdraws consent: nothing thrown, nothing sent; the SDE goes once consent is back', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await reportedImpressions(emulator, 1)
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      let once = true
      tag.hooks.push({ name: 'BEFORE_SUBMIT_SDE', callback: (options: object) => (once && ((once = false), tag.consent(false)), options) })
      tag.sdes.send({ type: 'purchase', total: 1 }, (delivered: boolean) => ((window as any).delivered = delivered))
    })
    await quiet(page, emulator)
    expect(emulator.received('report')).toHaveLength(1)
    expect(await page.evaluate(() => (window as any).delivered)).toBeUndefined()
    await page.evaluate(() => (window as any).lpTag.consent(true))
    await expect.poll(() => page.evaluate(() => (window as any).delivered)).toBe(true)
    expect(consoleLines).toEqual([])
  })

  test('a BEFORE_SUBMIT_SDE hook giving back an unreadable result: logged, the SDEs go as they were', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await reportedImpressions(emulator, 1)
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      const hostile = Object.defineProperty([], 0, { get() { throw new Error('boom') }, enumerable: true })
      tag.hooks.push({ name: 'BEFORE_SUBMIT_SDE', callback: () => ({ data: { sdes: hostile } }) })
      tag.sdes.push({ type: 'purchase', total: 1 })
    })
    const [, report] = await waitForRequests(emulator, 2, 'report')
    expect(report!.body.engagementAttributes).toEqual([{ type: 'purchase', total: 1 }])
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('BEFORE_SUBMIT_SDE hook gave an unreadable result') }])
  })

  test('a VAR_ADDED listener bound through the snippet stub hears the SDEs pushed before load', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      head: `<script>window._lptStop = true</script>${lpSnippet(ACCOUNT)}<script>
        window.vars = []
        lpTag.events.bind('lp_sdes', 'VAR_ADDED', function (sde) { vars.push(sde.type) })
        lpTag.sdes = lpTag.sdes || []
        lpTag.sdes.push({ type: 'cart', total: 12 })</script>`,
    })
    await waitForRequests(emulator, 1)
    expect(await page.evaluate(() => (window as any).vars)).toEqual(['cart'])
  })

  test('rendererStub.click from an OFFER_DISPLAY listener: the display is reported before the accept; from START, nothing shows yet to accept', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      head: `<script>window.lpTag = { events: [
        ['LP_OFFERS', 'START', (d) => (window.fromStart = lpTag.taglets.rendererStub.click(d.engagementId))],
        ['LP_OFFERS', 'OFFER_DISPLAY', (d) => lpTag.taglets.rendererStub.click(d.engagementId)],
      ] }</script>`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_CLICK')
    expect(await page.evaluate(() => (window as any).fromStart)).toBe(false)
    // One Report, in order: the accept came in the same task as the display.
    expect(await reportedImpressions(emulator, 1)).toEqual(['impDisplay,impAccept'])
  })

  test.describe('with no offer showing', () => {
    test.use({ campaigns: NO_CAMPAIGNS })
    test('each SDE goes to the session once: a later request carries only what was pushed since', async ({ page, emulator, openTagPage }) => {
      await openTagPage()
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
      await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'purchase', total: 78, orderId: 'A-1' }))
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
      await page.evaluate(() => (window as any).lpTag.sdes.push({ type: 'ctmrinfo', info: { ctype: 'gold' } }))
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 3)
      await page.evaluate(() => (window as any).lpTag.getEngagement())
      const requests = await waitForRequests(emulator, 4)
      expect(requests.map((r) => r.body.engagementAttributes.map((s: { type: string }) => s.type))).toEqual([[], ['purchase'], ['ctmrinfo'], []])
      expect(emulator.sessions(ACCOUNT)[0]!.sdes.map((s: { type: string }) => s.type)).toEqual(['purchase', 'ctmrinfo'])
    })
  })

  test('newPage without a section keeps the sections of the page view before; without a URL, the current one', async ({ page, emulator, openTagPage, site }) => {
    await openTagPage({ path: '/dropin/spa/page.html' })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.newPage('/dropin/spa/a', { section: 'sales' }))
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 2)
    await page.evaluate(() => (window as any).lpTag.newPage('/dropin/spa/b'))
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT', 3)
    await page.evaluate(() => (window as any).lpTag.newPage())
    const requests = await waitForRequests(emulator, 4)
    expect(requests.map((r) => r.body.entryPoints.filter((e: string) => !e.startsWith('lang://')))).toEqual([
      [`${site.url}/dropin/spa/page.html`],
      [`${site.url}/dropin/spa/a`, 'sec://sales'],
      [`${site.url}/dropin/spa/b`, 'sec://sales'],
      [`${site.url}/dropin/spa/page.html`, 'sec://sales'],
    ])
  })

  test('lpTag.section set by the page after a synchronous tag counts; send(undefined, callback) warns of nothing', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({ noTag: true, head: syncTag(emulator, { account: ACCOUNT }), body: `<main></main><script>lpTag.section = ['sales']</script>` })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.entryPoints).toContain('sec://sales')
    const delivered = await page.evaluate(() => new Promise((resolve) => (window as any).lpTag.sdes.send(undefined, resolve)))
    expect(delivered).toBe(true)
    expect(consoleLines).toEqual([])
  })
})
