import { test, expect, waitForRequests, waitForEvent, fired, ACCOUNT, APP } from './support/fixtures.ts'

test.describe('configuration', () => {
  const wrong: [string, Record<string, string | true>, RegExp][] = [
    ['a missing account', { account: '' }, /data-lp-account.*required/],
    ['an account with bad characters', { account: '12 34' }, /data-lp-account "12 34" is invalid/],
    ['an app with bad characters', { app: 'a/b' }, /data-lp-app "a\/b" is invalid/],
    ['plain http to a public host', { domain: 'http://api.example.net' }, /data-lp-domain "http:\/\/api\.example\.net" is invalid.*localhost.*; use "https:\/\/api\.example\.net"$/],
    ['an unknown API version', { 'api-version': '2.0' }, /data-lp-api-version "2\.0" is invalid/],
    ['an unknown format', { format: 'popup' }, /data-lp-format "popup" is invalid/],
    ['a format in the wrong case', { format: 'Toaster' }, /data-lp-format "Toaster" is invalid: one of .*; use "toaster"$/],
    ['a javascript: click URL', { 'click-url': 'javascript:alert(1)' }, /data-lp-click-url/],
  ]
  for (const [name, attrs, message] of wrong) {
    test(`${name}: one console error naming the attribute, ERROR, no request, no storage`, async ({ page, emulator, openTagPage, consoleLines }) => {
      await openTagPage({ attrs })
      const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
      expect(error!.data).toEqual({ code: 'config', message: expect.stringMatching(message) })
      expect(consoleLines).toEqual([{ type: 'error', text: expect.stringMatching(message) }])
      expect(await fired(page, 'LP_TAG', 'READY')).toEqual([])
      const result = await page.evaluate(() => (window as any).lpTag.getEngagement())
      expect(result).toEqual({ status: 'NotAvailable', error: error!.data })
      expect(await page.evaluate(() => indexedDB.databases())).toEqual([])
      expect(await page.evaluate(() => (window as any).lpTag.loaded)).toBe(true)
      expect(emulator.requests).toEqual([])
    })
  }

  test('surrounding whitespace pasted into attributes is trimmed: the tag runs', async ({ emulator, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { account: ` ${ACCOUNT}\n`, app: `${APP} `, domain: ` ${emulator.url}`, format: ' toaster ' } })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(consoleLines).toEqual([])
  })

  test('two wrong attributes: one line each', async ({ page, openTagPage, consoleLines }) => {
    await openTagPage({ attrs: { account: '', domain: 'ftp://x' } })
    await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(consoleLines.map((l) => l.text)).toEqual([expect.stringContaining('data-lp-account'), expect.stringContaining('data-lp-domain')])
  })

  test('READY carries the resolved configuration and where each value came from', async ({ page, emulator, openTagPage }) => {
    await openTagPage({ attrs: { format: 'toaster' }, head: `<script>window.lpTag = { section: ['sales'] }</script>` })
    const [ready] = await waitForEvent(page, 'LP_TAG', 'READY')
    expect(ready!.data.config).toEqual(
      expect.objectContaining({ account: ACCOUNT, app: APP, origin: emulator.url, apiVersion: '1.1', format: 'toaster', sections: ['sales'], render: 'auto', consent: 'granted' }),
    )
    expect(ready!.data.sources).toEqual(expect.objectContaining({ account: 'script', section: 'preload', format: 'script', apiVersion: 'default' }))
  })

  test('Tag Manager: a script created by JavaScript, with attributes stripped, configured by the pre-load object', async ({ emulator, openTagPage }) => {
    await openTagPage({
      noTag: true,
      head: `<script>
        window.lpTag = window.lpTag || {};
        lpTag.site = ${ACCOUNT}; lpTag.app = '${APP}'; lpTag.domain = '${emulator.url}'; lpTag.section = ['gtm'];
        var s = document.createElement('script'); s.src = '/tag.js'; s.async = true; document.head.appendChild(s);
      </script>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(request!.body.entryPoints).toContain('sec://gtm')
  })

  test('a CMS that cannot edit script attributes: a page element carries them', async ({ emulator, openTagPage }) => {
    await openTagPage({
      noTag: true,
      head: '<script async src="/tag.js"></script>',
      body: `<div hidden data-lp-account="${ACCOUNT}" data-lp-app="${APP}" data-lp-domain="${emulator.url}" data-lp-section="cms"></div>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.entryPoints).toContain('sec://cms')
  })

  test('precedence is key by key: script attribute, then pre-load object, then page element', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      attrs: { domain: '' },
      head: `<script>window.lpTag = { app: 'not-this-app', apiVersion: '1.0' }</script>`,
      body: `<div hidden data-lp-account="99999999" data-lp-domain="${emulator.url}" data-lp-api-version="1.1"></div>`,
    })
    // `data-lp-domain=""` on the script is given and empty: that is an error, not a fall-through.
    const [error] = await waitForEvent(page, 'LP_TAG', 'ERROR')
    expect(error!.data.message).toContain('data-lp-domain')
    expect(emulator.requests).toEqual([])
  })

  test('precedence with every source contributing a key', async ({ emulator, openTagPage }) => {
    await openTagPage({
      attrs: { domain: null },
      head: `<script>window.lpTag = { app: 'not-this-app', apiVersion: '1.0' }</script>`,
      body: `<div hidden data-lp-account="99999999" data-lp-domain="${emulator.url}" data-lp-api-version="1.1"></div>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    expect(request!.query.v).toBe('1.0')
  })
})
