import type { Page, Route } from '@playwright/test'
import { readdirSync, readFileSync } from 'node:fs'
import { test, expect, waitForEvent, waitForRequests, fired, freezeTime, tagScript, quiet, ACCOUNT, APP, type Emulator, type Site } from './support/fixtures.ts'
import { ENGAGEMENT, offerEventNames } from './support/offers.ts'
import { ATTACKER, attacker } from './support/attacker.ts'

// Trust, third round (contract sections 1, 2, 4, 6 and 9): what a hostile page could still do
// through the features added since the second review. Each test failed on the tag before its fix.

/** An inline catalog giving the site-wide engagement `entry`. */
const catalog = (entry: object) => `<script type="application/json" data-lp-engagements>${JSON.stringify({ [ENGAGEMENT]: entry })}</script>`

/** What the offer's shadow root shows: its text and how many images it holds. */
const shown = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-lp-engagement]')!.shadowRoot!
    return { text: root.textContent ?? '', images: root.querySelectorAll('img').length, format: root.host.getAttribute('data-lp-format') }
  })

test.describe('1. a polluted Object.prototype renders nothing', () => {
  test('agent and avatar on Object.prototype: no name line, no image, nothing fetched', async ({ page, openTagPage }) => {
    const hits = await attacker(page)
    await page.addInitScript((origin) => Object.assign(Object.prototype, { agent: 'Security team: call +1 555 0100', avatar: `${origin}/a.png` }), ATTACKER)
    await openTagPage({ head: catalog({ format: 'toaster', title: 'Need help?' }) })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const offer = await shown(page)
    expect(offer.text).toContain('Need help?')
    expect(offer.text).not.toContain('Security team')
    expect(offer.images).toBe(0)
    expect(hits).toEqual([])
  })

  test('with a BEFORE_ENG_DISPLAY hook passing the look through: a polluted format, name or zone changes nothing', async ({ page, openTagPage }) => {
    await page.addInitScript(() => {
      Object.assign(Object.prototype, { format: 'overlay', name: 'Security alert', zone: 'evil' })
      ;(window as any).lpTag = { hooks: [{ name: 'BEFORE_ENG_DISPLAY', callback: (options: object) => options }] }
    })
    await openTagPage({ head: catalog({ format: 'toaster', title: 'Need help?' }) })
    const [display] = await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect(display!.data).toMatchObject({ tglName: 'toaster', engagementName: ENGAGEMENT, zoneId: '0' })
    expect((await shown(page)).format).toBe('toaster')
  })
})

test.describe('2. user content does not replace the brand\'s catalog', () => {
  const FAKE = `<div class="comment">${catalog({ format: 'overlay', title: 'Security alert', text: 'Call +1 555 0100 now' })}</div>`

  test('the script names a catalog URL: an inline catalog in a comment is not used', async ({ page, site, openTagPage }) => {
    site.setPage('/brand/catalog.json', { type: 'application/json', body: JSON.stringify({ [ENGAGEMENT]: { format: 'toaster', title: 'Brand title' } }) })
    await openTagPage({ attrs: { engagements: '/brand/catalog.json' }, body: `<main><h1>Article</h1>${FAKE}</main>` })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const offer = await shown(page)
    expect(offer.format).toBe('toaster')
    expect(offer.text).toContain('Brand title')
    expect(offer.text).not.toContain('Security alert')
  })

  test('the pre-load object gives the catalog: an inline catalog in a comment is not used', async ({ page, openTagPage }) => {
    await openTagPage({
      head: `<script>window.lpTag = { engagements: { ${ENGAGEMENT}: { format: 'toaster', title: 'Brand title' } } }</script>`,
      body: `<main><h1>Article</h1>${FAKE}</main>`,
    })
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    const offer = await shown(page)
    expect(offer.text).toContain('Brand title')
    expect(offer.text).not.toContain('Security alert')
  })
})

test.describe('3. Subresource Integrity pins every script the tag loads', () => {
  /** A copy of dist/ under `/swapped/`, as a CDN would serve it, with `file` replaced by other bytes. */
  function swappedCdn(site: Site, file: string) {
    for (const name of readdirSync(new URL('../dist/', import.meta.url)).filter((each) => each.endsWith('.js'))) {
      const body = name === file ? 'window.__pwned = 1; window.lpTag && window.lpTag._ui && window.lpTag._ui({ place: () => ({ draw() { window.__drawn = 1; throw new Error("x") } }) })' : readFileSync(new URL(`../dist/${name}`, import.meta.url), 'utf8')
      site.setPage(`/swapped/${name}`, { type: 'text/javascript', body, headers: { 'Access-Control-Allow-Origin': '*' } })
    }
  }

  test('other bytes under the offer UI chunk\'s name never run: no offer, one console line', async ({ page, site, emulator, consoleLines }) => {
    swappedCdn(site, chunkName())
    site.setPage('/sri/page.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('/tag.js', `${site.url}/swapped/tag.js`)}</head><body><main><h1>x</h1></main></body></html>`)
    await page.goto(`${site.url}/sri/page.html`)
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await expect.poll(() => consoleLines.filter((line) => line.text.startsWith('[lpTag]'))).toHaveLength(1)
    expect(consoleLines.find((line) => line.text.startsWith('[lpTag]'))!.text).toMatch(/offers cannot be drawn: .*integrity/)
    expect(await page.evaluate(() => [(window as any).__pwned, (window as any).__drawn])).toEqual([undefined, undefined])
    expect(await offerEventNames(page)).not.toContain('OFFER_DISPLAY')
  })

  test('other bytes under debug.js never run: one console line', async ({ page, site, emulator, consoleLines }) => {
    swappedCdn(site, 'debug.js')
    site.setPage('/sri/debug.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${tagScript({ account: ACCOUNT, app: APP, domain: emulator.url }).replace('/tag.js', `${site.url}/swapped/tag.js`)}</head><body><main><h1>x</h1></main></body></html>`)
    await page.goto(`${site.url}/sri/debug.html`)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect.poll(() => consoleLines.filter((line) => line.text.startsWith('[lpTag]'))).toHaveLength(1)
    expect(consoleLines.find((line) => line.text.startsWith('[lpTag]'))!.text).toMatch(/debug panel could not load.*integrity/)
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined()
  })
})

/** The offer UI chunk's file name in dist/. */
function chunkName() {
  const tag = readFileSync(new URL('../dist/tag.js', import.meta.url), 'utf8')
  return /offer-ui\.\w+\.js/.exec(tag)![0]
}

test.describe('4. injected markup does not choose where SDEs go', () => {
  test('bare script, a [data-lp-account] element in user content naming another domain: nothing sent, one line naming the fix', async ({ page, site, emulator, consoleLines }) => {
    const hits: string[] = []
    await page.route('https://attacker.test/**', (route) => (hits.push(route.request().url()), route.abort()))
    site.setPage('/cms/domain.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
<script>window.lpTag = { sdes: [{ type: 'personal', personal: { firstname: 'Jane' } }] }</script><script async src="/tag.js"></script></head>
<body><main><div class="comment"><div data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="attacker.test"></div></div>
<div hidden data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}"></div></main></body></html>`)
    await page.goto(`${site.url}/cms/domain.html`)
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.code).toBe('config')
    expect(consoleLines).toEqual([{ type: 'error', text: `[lpTag] data-lp-domain "attacker.test" on a page element is invalid: a LivePerson host (*.liveperson.net) or loopback; put another domain on the tag's script or lpTag.domain` }])
    expect(hits).toEqual([])
    expect(emulator.requests).toEqual([])
  })
})

test.describe('5. the tag starts with its API, whatever the pre-load object holds', () => {
  for (const [name, preload] of [
    ['a pre-load hooks array whose element getter throws', `const hooks = []; Object.defineProperty(hooks, 0, { get() { throw new Error('boom') } }); window.lpTag = { hooks }`],
    ['a stub _defB whose length getter throws', `window.lpTag = { _defB: new Proxy([], { get(target, key) { if (key === 'length') throw new Error('boom'); return target[key] } }) }`],
  ] as const)
    test(`${name}: getEngagement() is there and settles, the request goes`, async ({ page, emulator, openTagPage }) => {
      await openTagPage({ head: `<script>${preload}</script>` })
      await waitForRequests(emulator, 1)
      expect(await page.evaluate(() => (window as any).lpTag.getEngagement().then((result: any) => result.status))).toBe('Available')
    })
})

test('6. SDE calls with an unreadable array element throw nothing and keep the valid SDE beside it', async ({ page, emulator, openTagPage }) => {
  await openTagPage({ attrs: { render: 'none' } })
  await waitForRequests(emulator, 1)
  const thrown = await page.evaluate(() => {
    const hostile = (type: string) => {
      const sdes: unknown[] = [{ type: 'searchInfo', keywords: [type] }]
      Object.defineProperty(sdes, 1, { get() { throw new Error('boom') }, enumerable: true })
      return sdes
    }
    const tag = (window as any).lpTag
    const errors: string[] = []
    for (const call of [() => tag.sdes.push(hostile('push')), () => tag.sdes.send(hostile('send')), () => tag.newPage('/next', { sdes: hostile('newPage') })])
      try {
        call()
      } catch (error) {
        errors.push(String(error))
      }
    return errors
  })
  expect(thrown).toEqual([])
  await expect
    .poll(() => [...emulator.received('engagement'), ...emulator.received('report')].flatMap((r) => r.body.engagementAttributes ?? []).flatMap((a: any) => a.keywords ?? []).sort())
    .toEqual(['newPage', 'push', 'send'])
})

test('7. a BEFORE_ENG_DISPLAY hook whose look cannot be read is ignored: the offer shows as if no hook ran', async ({ page, openTagPage, consoleLines }) => {
  await openTagPage({
    head: `${catalog({ format: 'toaster', title: 'Need help?' })}<script>window.lpTag = { hooks: [{ name: 'BEFORE_ENG_DISPLAY', callback: (options) => ({ data: { ...options.data, look: { get title() { throw new Error('boom') } } } }) }] }</script>`,
  })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  expect((await shown(page)).text).toContain('Need help?')
  expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('BEFORE_ENG_DISPLAY hook gave an unreadable look') }])
  expect((await fired(page, 'LP_TAG', 'ERROR')).length).toBe(0)
})

test('8. rendererStub answers junk ids with false, {} and state 0 while an offer shows', async ({ page, openTagPage }) => {
  await openTagPage({ head: catalog({ format: 'toaster' }) })
  await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
  const answers = await page.evaluate(() => {
    const stub = (window as any).lpTag.taglets.rendererStub
    const revocable = Proxy.revocable({}, {})
    revocable.revoke()
    return [Object.create(null), { toString() { throw new Error('boom') } }, revocable.proxy].map((junk) => {
      try {
        return [stub.click(junk), JSON.stringify(stub.getEngagementInfo(junk)), stub.getEngagementState(junk).state]
      } catch (error) {
        return String(error)
      }
    })
  })
  expect(answers).toEqual([[false, '{}', 0], [false, '{}', 0], [false, '{}', 0]])
  expect(await offerEventNames(page)).not.toContain('OFFER_CLICK')
})

test.describe('9. the debug panel against page content', () => {
  const panel = (page: Page) => page.getByRole('dialog', { name: 'lpTag debug' })

  test('<img name="body"> in page content does not swallow the panel', async ({ page, openTagPage }) => {
    await openTagPage({ body: '<main><h1>x</h1><img name="body" alt=""></main>' })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect(panel(page)).toBeVisible()
    expect(await page.evaluate(() => [...document.querySelectorAll('[id="lp-debug-host"]')].map((host) => host.parentElement!.tagName))).toEqual(['BODY'])
  })

  test('a page element with id lp-debug-host neither blocks the panel nor is un-hidden by it', async ({ page, openTagPage }) => {
    await openTagPage({ body: '<main><h1>x</h1><div id="lp-debug-host" hidden>page content</div></main>' })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => (window as any).lpTag.debug())
    await expect(panel(page)).toBeVisible()
    expect(await page.evaluate(() => (document.querySelector('main > #lp-debug-host') as HTMLElement).hidden)).toBe(true)
  })

  test('an event carrying a revoked Proxy, then typing in the filter and copying the report: no page error', async ({ page, openTagPage }) => {
    await openTagPage({})
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      const revocable = Proxy.revocable({}, {})
      revocable.revoke()
      ;(window as any).lpTag.events.trigger('PAGE', 'HOSTILE', revocable.proxy)
      ;(window as any).lpTag.debug()
    })
    await expect(panel(page)).toBeVisible()
    await panel(page).getByLabel('Filter by app or event').fill('PAGE')
    await expect(panel(page).locator('li', { hasText: 'PAGE HOSTILE' })).toBeVisible()
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await panel(page).getByRole('button', { name: 'Copy report' }).click()
    await expect(panel(page).getByRole('status')).toHaveText(/Report copied|clipboard was refused/)
  })
})

test.describe('10. an embedded offer goes only to a zone a visitor can see', () => {
  const HIDDEN = {
    'the page\'s own visually-hidden class': '<div class="sr-only"><div data-lp-zone="help-box"></div></div>',
    'off the page': '<div style="position:absolute;left:-10000px;top:0;width:300px"><div data-lp-zone="help-box"></div></div>',
    'transparent': '<div style="opacity:0"><div data-lp-zone="help-box"></div></div>',
    'clipped to nothing': '<div style="overflow:hidden;height:0"><div data-lp-zone="help-box"></div></div>',
  }
  const STYLE = '<style>.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}</style>'

  for (const [name, zone] of Object.entries(HIDDEN)) {
    test(`a zone ${name} before the brand's: the offer goes to the brand's`, async ({ page, openTagPage }) => {
      await openTagPage({ head: STYLE + catalog({ format: 'embedded', zone: 'help-box' }), body: `<main><h1>x</h1>${zone}<div id="brand" data-lp-zone="help-box"></div></main>` })
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
      expect(await page.evaluate(() => document.querySelector('[data-lp-engagement]')!.parentElement!.id)).toBe('brand')
    })
  }

  test('only a visually-hidden zone: no offer, no impDisplay, LP_TAG/ERROR "zone"', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ head: STYLE + catalog({ format: 'embedded', zone: 'help-box' }), body: `<main><h1>x</h1>${HIDDEN["the page's own visually-hidden class"]}</main>` })
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.code).toBe('zone')
    expect(await offerEventNames(page)).toEqual([])
    expect(emulator.received('report')).toEqual([])
  })
})

test('11. Object.prototype[0] forges no SDE through a sparse array: holes are holes', async ({ page, emulator, openTagPage, consoleLines }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Object.prototype, 0, { value: { type: 'purchase', total: 999, orderId: 'FORGED', product: { name: 'FORGED', price: 1 } }, writable: true, configurable: true })
    const sdes = new Array(2)
    sdes[1] = { type: 'searchInfo', keywords: ['real'] }
    ;(window as any).lpTag = { sdes }
  })
  await openTagPage({ attrs: { render: 'none' } })
  const [first] = await waitForRequests(emulator, 1)
  await page.evaluate(() => {
    const products = new Array(2)
    products[1] = { product: { name: 'real', price: 2 } }
    ;(window as any).lpTag.sdes.push({ type: 'cart', total: 2, products }, { type: 'searchInfo', keywords: ['after'] })
  })
  await expect.poll(() => [...emulator.received('engagement'), ...emulator.received('report')].length).toBeGreaterThan(1)
  const sent = JSON.stringify([...emulator.received('engagement'), ...emulator.received('report')].map((r) => r.body))
  expect(sent).not.toContain('FORGED')
  expect(sent).toContain('"keywords":["after"]')
  expect(first!.body.engagementAttributes).toEqual([{ type: 'searchInfo', keywords: ['real'] }])
  // Inside an SDE a hole is a missing item: that SDE is refused, by name.
  expect(consoleLines).toEqual([{ type: 'warning', text: '[lpTag] SDE cart dropped: products.0 must be an object' }])
})

test('12. an unknown field nested 6,000 levels deep is ignored, not retried', async ({ page, emulator, openTagPage }) => {
  const deep = '['.repeat(6000) + ']'.repeat(6000)
  emulator.fault({
    status: 201,
    body: `{"sessionId":"s-deep","visitorId":"v-deep","pageId":"1","future":${deep},"engagementDetails":[{"status":"expose","campaignId":3346849310,"engagementId":${ENGAGEMENT},"engagementRevision":21,"contextId":"1"}]}`,
  })
  await openTagPage({ attrs: { render: 'none' } })
  const [engagement] = await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
  expect(engagement!.data).toMatchObject({ status: 'Available', visitorId: 'v-deep', sessionId: 's-deep' })
  expect(emulator.received('engagement')).toHaveLength(1)
  expect(await fired(page, 'LP_TAG', 'RETRY')).toEqual([])
})

test.describe('13. an offer past its validity is not shown', () => {
  /** Holds the offer UI chunk until `release()`. */
  async function holdChunk(page: Page) {
    let held: Route | undefined
    await page.route('**/offer-ui.*.js', (route) => void (held = route))
    return {
      arrived: () => expect.poll(() => !!held, { message: 'the chunk requested' }).toBe(true),
      release: () => held!.continue(),
    }
  }

  test('validity 2 s, its UI loading 3 s: no START, no OFFER_TIMEOUT, no report; one console line', async ({ page, emulator, openTagPage, consoleLines }) => {
    await freezeTime(page)
    const chunk = await holdChunk(page)
    await openTagPage({ head: catalog({ format: 'toaster', validForSeconds: 2 }) })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await chunk.arrived()
    await page.clock.runFor(3000)
    await chunk.release()
    await expect.poll(() => consoleLines.length).toBe(1)
    expect(consoleLines[0]!.text).toMatch(/engagement \d+ is not shown: its 2 s of validity ran out before its UI loaded/)
    await page.clock.runFor(5000)
    expect(await offerEventNames(page)).toEqual([])
    expect(emulator.received('report')).toEqual([])
  })

  test('validity 2 s, its UI loading 1 s: shown, and timed out 2 s after the answer', async ({ page, openTagPage }) => {
    await freezeTime(page)
    const chunk = await holdChunk(page)
    await openTagPage({ head: catalog({ format: 'toaster', validForSeconds: 2 }) })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await chunk.arrived()
    await page.clock.runFor(1000)
    await chunk.release()
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    await page.clock.runFor(999)
    expect(await offerEventNames(page)).not.toContain('OFFER_TIMEOUT')
    await page.clock.runFor(2)
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_TIMEOUT')
  })
})

test.describe('14. the bookmarklet tells its failures apart', () => {
  /** The bookmarklet's code, built on bookmarklet.html with `tagUrl`. */
  async function bookmarklet(page: Page, site: Site, emulator: Emulator, tagUrl?: string) {
    await page.goto(`${site.url}/bookmarklet.html`)
    const form = page.locator('#bookmarklet-form')
    await form.getByLabel('API domain').fill(emulator.url)
    if (tagUrl) await form.getByLabel('Tag URL').fill(tagUrl)
    const href = await page.locator('#bookmarklet-link').getAttribute('href')
    return decodeURIComponent(href!.slice('javascript:'.length))
  }

  test('the bookmarklet page takes the tag\'s public URL; a tag on this machine is the default, with a note saying where it works', async ({ page, site, emulator }) => {
    await bookmarklet(page, site, emulator)
    await expect(page.locator('#bookmarklet-form').getByLabel('Tag URL')).toHaveValue(`${site.url}/tag.js`)
    await expect(page.locator('#tag-url-hint')).toBeVisible()
    const code = await bookmarklet(page, site, emulator, 'https://cdn.brand.example/lp/tag.js')
    expect(code).toContain('"https://cdn.brand.example/lp/tag.js"')
    await expect(page.locator('#tag-url-hint')).toBeHidden()
  })

  test('a tag URL the page cannot reach (no CSP involved): the line says so and what to do, not "CSP"', async ({ page, site, emulator }) => {
    const code = await bookmarklet(page, site, emulator, 'http://127.0.0.1:9/tag.js')
    site.setPage('/public/page.html', '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>p</title></head><body><main><h1>A public page</h1></main></body></html>')
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && m.text().startsWith('[lpTag]') && errors.push(m.text()))
    await page.goto(`${site.url}/public/page.html`)
    await page.evaluate(code)
    await expect.poll(() => errors).toHaveLength(1)
    expect(errors[0]).toContain('could not load http://127.0.0.1:9/tag.js')
    expect(errors[0]).toContain("the tag's public URL")
    expect(errors[0]).not.toContain('Content Security Policy')
  })
})

test('15. a Tag Manager rule\'s section list with empty and undefined entries keeps its valid ones, with one warning', async ({ page, emulator, openTagPage, consoleLines }) => {
  await openTagPage({ head: `<script>window.lpTag = { section: [location.host, '', '/t/path', undefined, undefined, undefined] }</script>` })
  const [request] = await waitForRequests(emulator, 1)
  const host = new URL(page.url()).host
  expect(request!.body.entryPoints.filter((e: string) => e.startsWith('sec://'))).toEqual([`sec://${host}`, 'sec:///t/path'])
  expect(consoleLines).toEqual([{ type: 'warning', text: expect.stringMatching(/^\[lpTag\] lpTag\.section .*entries that are no section are ignored/) }])
})

test.describe('16. arrays the page assigns after load are adopted', () => {
  test('lpTag.identities = [] then push(fn) after a synchronous tag: the identity reaches the next request', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      noTag: true,
      head: tagScript({ account: ACCOUNT, app: APP, domain: emulator.url, render: 'none' }).replace(' async', ''),
      body: `<main></main><script>lpTag.identities = []; lpTag.identities.push(function (cb) { cb({ iss: 'https://auth.brand.example', acr: 'loa1', sub: 'c-7' }) })</script>`,
    })
    await waitForRequests(emulator, 1)
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    const requests = emulator.received('engagement')
    expect(requests.at(-1)!.body.identities).toContainEqual({ iss: 'https://auth.brand.example', acr: 'loa1', sub: 'c-7' })
  })

  test('lpTag.sdes = [] then push(sde) after load: the SDE reaches the API', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { render: 'none' } })
    await waitForRequests(emulator, 1)
    await page.evaluate(() => {
      const tag = (window as any).lpTag
      tag.sdes = []
      tag.sdes.push({ type: 'searchInfo', keywords: ['adopted'] })
    })
    await expect.poll(() => [...emulator.received('engagement'), ...emulator.received('report')].flatMap((r) => r.body.engagementAttributes ?? []).flatMap((a: any) => a.keywords ?? [])).toContain('adopted')
  })
})

// The review of the new features (languages, right to left, TCF, the chunk loader): each failed
// on the tag before its fix.
test.describe('17. the review of the new features', () => {
  for (const [where, script] of [
    ['on <html>', `Object.defineProperty(document.documentElement, 'lang', { get() { throw new Error('lang') } })`],
    ['on HTMLElement.prototype', `Object.defineProperty(HTMLElement.prototype, 'lang', { get() { throw new Error('lang') } })`],
  ] as const) {
    test(`a throwing lang getter ${where}: the request goes, the offer shows, nothing thrown, every promise settles`, async ({ page, emulator, openTagPage }) => {
      await openTagPage({ head: `<script>${script}</script>${catalog({ format: 'toaster' })}` })
      await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
      const [request] = emulator.received('engagement')
      expect(request!.body.lang).toBeUndefined()
      expect((await page.evaluate(() => (window as any).lpTag.getEngagement())).status).toBe('Available')
    })
  }

  test('without Trusted Types in the browser, page content named trustedTypes does not stop the offers', async ({ page, openTagPage, consoleLines }) => {
    // A browser without Trusted Types (Safari, older Firefox): window's named access then finds the form.
    await page.addInitScript(() => delete (Window.prototype as any).trustedTypes && delete (window as any).trustedTypes)
    await openTagPage({ head: catalog({ format: 'toaster' }), body: '<main><h1>x</h1><form id="trustedTypes"><input name="createPolicy"></form></main>' })
    expect(await page.evaluate(() => (window as any).trustedTypes?.tagName)).toBe('FORM')
    await waitForEvent(page, 'LP_OFFERS', 'OFFER_DISPLAY')
    expect(consoleLines).toEqual([])
  })

  test('consent granted and withdrawn in one task: no database is left behind', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { consent: 'pending' } })
    await waitForEvent(page, 'LP_TAG', 'READY')
    await page.evaluate(() => {
      ;(window as any).lpTag.consent(true)
      ;(window as any).lpTag.consent(false)
    })
    await quiet(page, emulator)
    await expect.poll(() => page.evaluate(() => indexedDB.databases().then((all) => all.map((db) => db.name)))).toEqual([])
    expect(emulator.received('engagement')).toEqual([])
  })
})
