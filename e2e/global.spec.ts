import { test, expect, waitForRequests, waitForEvent, fired, tagScript, ACCOUNT, APP } from './support/fixtures.ts'

test.describe('the window.lpTag global', () => {
  test('an existing lpTag object is kept and extended; queued SDEs, identities and listeners are consumed', async ({ page, emulator, openTagPage }) => {
    await openTagPage({
      head: `<script>
        window.lpTag = window.lpTag || {};
        lpTag.brandFlag = 'kept';
        window.original = lpTag;
        lpTag.sdes = [{ type: 'prodView', products: [{ product: { name: 'shoe', sku: 'xyz567', price: 77.8 } }] }];
        lpTag.identities = [function (cb) { cb({ iss: 'https://brand.example', acr: 'loa1', sub: 'user-1' }) }];
        lpTag.events = [['LP_OFFERS', 'START', function (data) { window.startSeen = data.engagementId }]];
      </script>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([{ type: 'prodView', products: [{ product: { name: 'shoe', sku: 'xyz567', price: 77.8 } }] }])
    expect(request!.body.identities.slice(1)).toEqual([{ iss: 'https://brand.example', acr: 'loa1', sub: 'user-1' }])
    const [start] = await waitForEvent(page, 'LP_OFFERS', 'START')
    expect(await page.evaluate(() => (window as any).startSeen)).toBe(start!.data.engagementId)
    expect(await page.evaluate(() => [(window as any).lpTag === (window as any).original, (window as any).lpTag.brandFlag])).toEqual([true, 'kept'])
    expect(await page.evaluate(() => [(window as any).lpTag.loaded, typeof (window as any).lpTag.version])).toEqual([true, 'string'])
  })

  test('identities pushed after load, in both forms, go with the next request; invalid ones are dropped with a warning', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    await page.evaluate(() => {
      const lpTag = (window as any).lpTag
      lpTag.identities.push({ iss: 'https://brand.example', acr: 'loa1', sub: 'user-7' })
      lpTag.identities.push((cb: (identity: object) => void) => setTimeout(() => cb({ iss: 'https://sso.example', acr: 'loa1', sub: 'user-7b' })))
      lpTag.identities.push({ iss: 'https://brand.example', acr: '0', sub: 'not-authenticated' })
    })
    await page.waitForFunction(() => (window as any).lpTag.identities.push() === 2)
    await page.evaluate(() => (window as any).lpTag.getEngagement())
    const [, second] = await waitForRequests(emulator, 2)
    expect(second!.body.identities.slice(1)).toEqual([
      { iss: 'https://brand.example', acr: 'loa1', sub: 'user-7' },
      { iss: 'https://sso.example', acr: 'loa1', sub: 'user-7b' },
    ])
    expect(consoleLines).toEqual([{ type: 'warning', text: expect.stringContaining('identity dropped') }])
  })

  test('the tag pasted twice starts one flow', async ({ page, emulator, openTagPage }) => {
    const attrs = { account: ACCOUNT, app: APP, domain: emulator.url }
    await openTagPage({ head: tagScript(attrs) })
    // Both async scripts have run once the page's load event fired (goto waits for it); a second
    // flow would have published its own READY synchronously and raced the first request.
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(await page.evaluate(() => document.querySelectorAll('script[src="/tag.js"]').length)).toBe(2)
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(await fired(page, 'LP_TAG', 'READY')).toHaveLength(1)
  })

  test('bus: bind forms, wildcards, triggerOnce, unbind, hasFired', async ({ page, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const seen = await page.evaluate(() => {
      const events = (window as any).lpTag.events
      const log: string[] = []
      const id = events.bind('APP', 'PING', (data: unknown, info: { appName: string; eventName: string }) => log.push(`exact ${data} ${info.appName}/${info.eventName}`))
      events.bind({ eventName: 'PING', func: (data: unknown) => log.push(`any-app ${data}`), triggerOnce: true })
      events.bind({ appName: 'APP', eventName: '*', func(this: { tag: string }) { log.push(`ctx ${this.tag}`) }, context: { tag: 'c' } })
      const ran = events.trigger('APP', 'PING', 1)
      events.trigger('APP', 'PING', 2)
      const unbound = events.unbind(id)
      events.trigger('APP', 'PING', 3)
      return { log, ran, unbound, again: events.unbind(id), none: events.trigger('NOBODY', 'HOME'), history: events.hasFired('APP', '*').map((e: any) => e.data) }
    })
    expect(seen).toEqual({
      log: ['exact 1 APP/PING', 'any-app 1', 'ctx c', 'exact 2 APP/PING', 'ctx c', 'ctx c'],
      ran: true,
      unbound: true,
      again: false,
      none: false,
      history: [1, 2, 3],
    })
  })

  test('a listener that throws stops neither the other listeners nor the tag', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({
      head: `<script>
        window.lpTag = { events: [
          ['LP_TAG', 'READY', function () { throw new Error('brand bug') }],
          ['LP_TAG', 'READY', function () { window.secondRan = true }],
        ] };
      </script>`,
    })
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    expect(await page.evaluate(() => (window as any).secondRan)).toBe(true)
    expect(emulator.received('engagement')).toHaveLength(1)
    expect(consoleLines).toEqual([{ type: 'error', text: expect.stringContaining('LP_TAG/READY') }])
  })
})
