import { test, expect, waitForRequests, waitForEvent, fired, ACCOUNT, APP } from './support/fixtures.ts'

test.describe('the engagement request', () => {
  test('goes cross-origin to the documented path with the documented body', async ({ emulator, openTagPage, consoleLines }) => {
    const pageUrl = await openTagPage({
      path: '/shop/product.html',
      attrs: { section: 'sales, english', 'entry-points': 'tel://972737004000' },
      body: '<div data-lp-section="promo"></div>',
      lang: 'de-CH',
      search: '?email=someone@example.com#top',
    })
    const [request] = await waitForRequests(emulator, 1)
    const url = new URL(pageUrl)

    expect(request!.method).toBe('POST')
    expect(request!.path).toBe(`/api/account/${ACCOUNT}/app/${APP}/engagement`)
    // First visit: no vid/sid known yet, so they are left out.
    expect(request!.query).toEqual({ v: '1.1', obh: 'false' })
    expect(request!.headers['content-type']).toBe('application/json')
    expect(request!.headers.origin).toBe(url.origin)
    expect(emulator.received('preflight').filter((p) => p.path === request!.path)).toHaveLength(1)

    const body = request!.body
    expect(Object.keys(body).sort()).toEqual(['clientProperties', 'engagementAttributes', 'entryPoints', 'identities'])
    expect(body.identities).toEqual([{ iss: `${new URL(emulator.url).host}/${ACCOUNT}`, acr: '0', sub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) }])
    expect(body.clientProperties).toEqual({ appVersion: expect.stringMatching(/^\d+\.\d+\.\d+/), deviceFamily: 'DESKTOP', os: 'LINUX' })
    expect(body.entryPoints).toEqual([`${url.origin}/shop/product.html`, 'sec://sales', 'sec://english', 'sec://promo', 'lang://de-CH', 'tel://972737004000'])
    expect(body.engagementAttributes).toEqual([])
    expect(JSON.stringify(body)).not.toContain('someone@example.com')
    expect(consoleLines).toEqual([])
  })

  test.describe('with no offer showing', () => {
    test.use({ campaigns: { accounts: { [ACCOUNT]: { apps: [APP], campaigns: [] } } } })
    test('carries the SDEs pushed before load and after load', async ({ page, emulator, openTagPage }) => {
      await openTagPage({
        head: `<script>
          window.lpTag = window.lpTag || {}; lpTag.sdes = lpTag.sdes || [];
          lpTag.sdes.push({ type: 'cart', total: 11.7, currency: 'USD', numItems: 1 });
          lpTag.sdes.push([{ type: 'ctmrinfo', info: { customerType: 'vip' } }]);
        </script>`,
      })
      const [first] = await waitForRequests(emulator, 1)
      expect(first!.body.engagementAttributes).toEqual([
        { type: 'cart', total: 11.7, currency: 'USD', numItems: 1 },
        { type: 'ctmrinfo', info: { customerType: 'vip' } },
      ])
      await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')

      // After load, with no offer showing, `send` validates and checks again at once, carrying what
      // no request carried yet (the session keeps the others: each SDE goes once).
      await page.evaluate(() => (window as any).lpTag.sdes.send({ type: 'purchase', total: 78, orderId: 'Test123' }))
      const requests = await waitForRequests(emulator, 2)
      expect(requests[1]!.body.engagementAttributes.map((sde: { type: string }) => sde.type)).toEqual(['purchase'])
      expect(emulator.sessions(ACCOUNT)[0]!.sdes.map((sde: { type: string }) => sde.type)).toEqual(['cart', 'ctmrinfo', 'purchase'])
      expect(await page.evaluate(() => (window as any).lpTag.sdes.get('cart').length)).toBe(1)
    })
  })

  test('SDEs written into the page as JSON script elements are sent', async ({ emulator, openTagPage, consoleLines }) => {
    await openTagPage({
      body: `<script type="application/json" data-lp-sdes>{"type": "prodView", "currency": "USD", "products": [{"product": {"name": "shoe", "sku": "xyz567", "price": "77.8"}}]}</script>
        <main>Product page</main>
        <script type="application/json" data-lp-sdes>[{"type": "searchInfo", "keywords": ["red shoe"]}, {"type": "lead", "lead": {"topic": "shoes"}}]</script>
        <script type="application/json" data-lp-sdes>{ not json</script>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([
      { type: 'prodView', currency: 'USD', products: [{ product: { name: 'shoe', sku: 'xyz567', price: '77.8' } }] },
      { type: 'searchInfo', keywords: ['red shoe'] },
      { type: 'lead', lead: { topic: 'shoes' } },
    ])
    expect(consoleLines).toEqual([{ type: 'warning', text: expect.stringContaining('not valid JSON') }])
  })

  test('an invalid SDE is dropped with one warning naming its type and field; valid ones in the same push go', async ({ page, emulator, openTagPage, consoleLines }) => {
    await openTagPage({
      head: `<script>
        window.lpTag = { sdes: [] };
        lpTag.sdes.push([
          { type: 'cart', total: 'lots', products: [] },
          { type: 'lead', lead: { topic: 'luxury car test drive 2015', value: '22.22', leadId: 'xyz123' } },
          { type: 'nosuchtype' },
        ]);
      </script>`,
    })
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.engagementAttributes).toEqual([{ type: 'lead', lead: { topic: 'luxury car test drive 2015', value: '22.22', leadId: 'xyz123' } }])
    expect(consoleLines).toEqual([
      { type: 'warning', text: '[lpTag] SDE cart dropped: total must be a number' },
      { type: 'warning', text: expect.stringMatching(/^\[lpTag\] SDE nosuchtype dropped: type must be one of cart purchase/) },
    ])
    expect(await fired(page, 'lp_sdes', 'VAR_ADDED')).toHaveLength(1)
  })

  test('never sends a consumerId, an IP address or cookies', async ({ page, emulator, openTagPage }) => {
    await page.context().addCookies([{ name: 'session', value: 'secret', domain: new URL(emulator.url).hostname, path: '/' }])
    await openTagPage()
    const [request] = await waitForRequests(emulator, 1)
    expect(request!.body.consumerId).toBeUndefined()
    expect(request!.body.clientProperties.ipAddress).toBeUndefined()
    expect(request!.headers.cookie).toBeUndefined()
  })

  test('getEngagement takes the Chat SDK request shape', async ({ page, emulator, openTagPage }) => {
    await openTagPage()
    await waitForEvent(page, 'LP_TAG', 'ENGAGEMENT')
    const result = await page.evaluate(() =>
      (window as any).lpTag.getEngagement({
        appType: 'EXTERNAL',
        consumerSections: ['Support'],
        engagementAttributes: [{ type: 'lead', lead: { topic: 'car', value: 22.22, leadId: 'xyz123' } }],
        appDetails: { os: 'ANDROID', osVersion: '14', deviceFamily: 'MOBILE', appVersion: '9.9', ipAddress: '192.168.5.2' },
      }),
    )
    const requests = await waitForRequests(emulator, 2)
    const body = requests[1]!.body
    expect(body.entryPoints).toContain('sec://Support')
    expect(body.engagementAttributes).toEqual([{ type: 'lead', lead: { topic: 'car', value: 22.22, leadId: 'xyz123' } }])
    expect(body.clientProperties).toEqual({ appVersion: '9.9', deviceFamily: 'MOBILE', os: 'ANDROID', osVersion: '14' })
    // Same session as the first check: the stored vid/sid go with it.
    expect(requests[1]!.query.sid).toBe(result.sessionId)
    expect(requests[1]!.query.vid).toBe(result.visitorId)
  })
})
