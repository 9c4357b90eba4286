import { test, expect, waitForEvent, quiet, type Emulator } from './support/fixtures.ts'

// A thrown exception, even one the tag catches, makes V8 build a stack trace (on a minified
// bundle: re-parse it for positions), ~5 ms on a 2-core machine. A normal page throws none
// between the tag's start and its engagement request: counted by pausing on every exception.

for (const [name, head] of [
  ['plain page: attributes on the script only', ''],
  ['a pre-load object, an inline catalog, a configuration element and sections', `<script>window.lpTag = { sdes: [{ type: 'prodView', products: [{ product: { name: 'x', price: 1 } }] }] }</script>
<script type="application/json" data-lp-engagements>{"3562981510": {"format": "toaster"}}</script>
<div data-lp-account="12345678" data-lp-section="shoes"></div>`],
] as const) {
  test(`no exception is thrown from the tag's start to the request (${name})`, async ({ page, openTagPage }) => {
    const cdp = await page.context().newCDPSession(page)
    const pauses: string[] = []
    cdp.on('Debugger.paused', (event) => {
      pauses.push(`${event.reason} at ${event.callFrames[0]?.url}:${event.callFrames[0]?.location.lineNumber}:${event.callFrames[0]?.location.columnNumber}`)
      // The page may close while this is on its way (the test is over): a rejection then is no failure.
      cdp.send('Debugger.resume').catch(() => {})
    })
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.setPauseOnExceptions', { state: 'all' })
    let requested = 0
    page.on('request', (request) => {
      if (request.url().includes('/engagement?') && !requested) requested = pauses.length + 1
    })
    await openTagPage({ head })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(requested, 'the engagement request went out').toBeGreaterThan(0)
    // The check has teeth: an exception the page throws and catches is counted too.
    await page.evaluate(() => {
      try {
        ;(null as any).toString()
      } catch {}
    })
    await expect.poll(() => pauses.length).toBeGreaterThan(requested - 1)
    expect(pauses.slice(0, requested - 1)).toEqual([])
  })
}

test.describe('a tag that runs before the document is parsed', () => {
  /** Opens a page whose parsing a slow script holds up, the (async) tag running meanwhile; returns the page's timeline. */
  async function timeline(page: import('@playwright/test').Page, emulator: Emulator, openTagPage: (o?: import('./support/fixtures.ts').TagPageOptions) => Promise<string>, attrs: Record<string, string | null>, head = '') {
    await page.addInitScript(() => {
      const w = window as any
      w.__timeline = [] as string[]
      const open = indexedDB.open.bind(indexedDB)
      indexedDB.open = (...args: [string, number?]) => (w.__timeline.push('idb open'), open(...args))
      const fetch = window.fetch
      window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
        if (String(input).includes('/engagement?')) w.__timeline.push('request')
        return fetch.call(this, input, init)
      }
      document.addEventListener('DOMContentLoaded', () => w.__timeline.push('DOMContentLoaded'))
    })
    // Parsing waits for this script until the tag has run: on a loaded machine too, the tag runs
    // while the document is still parsed.
    await page.route('**/slow.js', async (route) => {
      await expect.poll(() => page.evaluate(() => (window as any).lpTag?.loaded === true)).toBe(true)
      await route.fulfill({ contentType: 'text/javascript', body: '' })
    })
    await openTagPage({ attrs, head, body: '<main><h1>x</h1></main><script src="/slow.js"></script>' })
    await waitForEvent(page, 'LP_TAG', 'READY')
    // The request, when the flow has one, then the page quiet: anything that would come after it has come.
    if (attrs.consent === 'granted') await expect.poll(() => page.evaluate(() => (window as any).__timeline.includes('request'))).toBe(true)
    await quiet(page, emulator)
    return page.evaluate(() => (window as any).__timeline as string[])
  }

  test('consent granted on the script: the stored ids are read before DOMContentLoaded, the request goes after it', async ({ page, emulator, openTagPage }) => {
    const order = await timeline(page, emulator, openTagPage, { consent: 'granted' })
    expect(order).toEqual(['idb open', 'DOMContentLoaded', 'request'])
  })

  test('consent left to the page (no consent on the script): nothing touches storage before DOMContentLoaded', async ({ page, emulator, openTagPage }) => {
    const order = await timeline(page, emulator, openTagPage, {}, '<div data-lp-account="12345678" data-lp-consent="pending"></div>')
    expect(order).toEqual(['DOMContentLoaded'])
  })
})
