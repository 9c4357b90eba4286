import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { test as base, expect } from '@playwright/test'
import { createEmulator, type Emulator } from './emulator.mjs'

const ACCOUNT = '12345678'
const APP = 'a1b2c3'
const ID = /^[A-Za-z0-9]{20,32}$/
const WELL_FORMED_VID = 'AbCdEfGhIjKlMnOpQrStUv'
const SALES = 3562981110
const CHECKOUT = 3562981210
const BIG_CART = 3562981310
const SITE_WIDE = 3562981510

const test = base.extend<{ emu: Emulator }>({
  emu: async ({}, use) => {
    const emu = await createEmulator()
    await use(emu)
    await emu.close()
  },
})

/** Starts an emulator on other campaigns for one test. */
async function withEmulator(options: Parameters<typeof createEmulator>[0], body: (emu: Emulator) => Promise<void>) {
  const emu = await createEmulator(options)
  try {
    await body(emu)
  } finally {
    await emu.close()
  }
}

/** The body the tag sends (CONTRACT.md section 4). */
function pageBody({ url = 'https://shop.example/', sections = [] as string[], sdes = [] as object[] } = {}) {
  return {
    identities: [{ iss: `api.example.net/${ACCOUNT}`, acr: '0', sub: randomUUID() }],
    clientProperties: { appVersion: '0.1.0', deviceFamily: 'DESKTOP', os: 'LINUX' },
    entryPoints: [url, ...sections.map((s) => `sec://${s}`)],
    engagementAttributes: sdes,
  }
}

interface CallOptions {
  query?: Record<string, string | undefined>
  body?: unknown
  account?: string
  app?: string
  method?: string
  headers?: Record<string, string>
}

function endpoint(emu: Emulator, path: 'engagement' | 'report', { query = {}, account = ACCOUNT, app = APP }: CallOptions) {
  const url = new URL(`/api/account/${account}/app/${app}/${path}`, emu.url)
  for (const [key, value] of Object.entries({ v: '1.1', obh: 'false', ...query })) if (value !== undefined) url.searchParams.set(key, value)
  return url.href
}

async function call(url: string, init: RequestInit) {
  const res = await fetch(url, init)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined }
}

function engage(emu: Emulator, options: CallOptions = {}) {
  const body = options.body === undefined ? pageBody() : options.body
  return call(endpoint(emu, 'engagement', options), {
    method: options.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

function report(emu: Emulator, session: { sessionId: string; visitorId: string }, attributes: object[], options: CallOptions = {}) {
  return call(endpoint(emu, 'report', { ...options, query: { vid: session.visitorId, sid: session.sessionId, ...options.query } }), {
    method: options.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', 'X-HTTP-Method-Override': 'PUT', ...options.headers },
    body: JSON.stringify({ pageId: '123', engagementAttributes: attributes }),
  })
}

const impression = (type: string, detail: any, contextId?: string) => ({
  type,
  campaign: detail.campaignId,
  engId: detail.engagementId,
  revision: detail.engagementRevision,
  ...(contextId === undefined ? {} : { eContext: [{ type: 'engagementContext', id: contextId }] }),
})

test.describe('CORS', () => {
  test('a preflight allows POST with X-HTTP-Method-Override, never PUT, and is recorded', async ({ emu }) => {
    const res = await fetch(endpoint(emu, 'report', {}), {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-http-method-override' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(res.headers.get('vary')).toBe('Origin')
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH')
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, X-HTTP-Method-Override')
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(emu.received('preflight')).toHaveLength(1)
    expect(emu.received('report')).toHaveLength(0)
  })

  test('answers echo the Origin, or * without one', async ({ emu }) => {
    const withOrigin = await engage(emu, { headers: { Origin: 'https://shop.example' } })
    expect(withOrigin.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    const without = await engage(emu, { query: { v: '9' } })
    expect(without.headers.get('access-control-allow-origin')).toBe('*')
    expect(without.headers.get('vary')).toBe('Origin')
  })
})

test.describe('validation', () => {
  test('v missing or unsupported: 400/33', async ({ emu }) => {
    for (const v of [undefined, '2.0', '1']) {
      const res = await engage(emu, { query: { v } })
      expect(res.status).toBe(400)
      expect(res.json).toMatchObject({ message: 'Illegal API version requested', internalCode: 33 })
      expect(typeof res.json.time).toBe('number')
    }
  })

  test('unknown app: 404/18; unknown account without a "*" template: 404/18', async ({ emu }) => {
    const app = await engage(emu, { app: 'nope' })
    expect(app.status).toBe(404)
    expect(app.json).toMatchObject({ internalCode: 18, message: 'invalid appInstallationId: nope' })
    // The default file has a template, so any account answers; without one it does not.
    expect((await engage(emu, { account: '999' })).status).toBe(201)
    await withEmulator({ campaigns: { accounts: { [ACCOUNT]: { apps: [APP], campaigns: [] } } } }, async (other) => {
      const account = await engage(other, { account: '999' })
      expect(account.status).toBe(404)
      expect(account.json.internalCode).toBe(18)
    })
  })

  test('a body that is not a valid JSON object: 400/5 naming the field', async ({ emu }) => {
    const cases: [unknown, string][] = [
      ['not json', 'body'],
      ['[1]', 'body'],
      [{ identities: [{ iss: 'x', acr: '1', sub: 'y' }] }, 'identities[0]'],
      [{ identities: [{ iss: 'x', acr: '0', sub: '' }] }, 'identities[0]'],
      [{ entryPoints: 'https://shop.example/' }, 'entryPoints'],
      [{ engagementAttributes: [{ total: 1 }] }, 'engagementAttributes[0]'],
      [{ engagementAttributes: [{ type: 'cart' }, { type: 'impDisplay' }] }, 'engagementAttributes[1]'],
      [{ clientProperties: { deviceFamily: 'personal_computer' } }, 'clientProperties.deviceFamily'],
      [{ clientProperties: { os: 'BEOS' } }, 'clientProperties.os'],
      [{ clientProperties: 'DESKTOP' }, 'clientProperties'],
    ]
    for (const [body, field] of cases) {
      const res = await engage(emu, { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.internalCode).toBe(5)
      expect(res.json.message).toContain(field)
    }
    expect((await engage(emu, { body: '' })).status).toBe(400)
    expect(emu.sessions(ACCOUNT)).toEqual([])
  })

  test('consumerId is accepted and recorded', async ({ emu }) => {
    const res = await engage(emu, { body: { ...pageBody(), consumerId: 'uniqueIdInBrand' } })
    expect(res.status).toBe(201)
    expect(emu.received('engagement')[0]?.body).toMatchObject({ consumerId: 'uniqueIdInBrand' })
  })

  test('GET on the engagement path and a POST report without the override: 405', async ({ emu }) => {
    expect((await fetch(endpoint(emu, 'engagement', {}))).status).toBe(405)
    const first = (await engage(emu)).json
    expect((await report(emu, first, [], { headers: { 'X-HTTP-Method-Override': '' } })).status).toBe(405)
  })
})

test.describe('sessions', () => {
  test('201 creates a session, 200 continues it with the same ids', async ({ emu }) => {
    const first = await engage(emu)
    expect(first.status).toBe(201)
    expect(first.headers.get('content-type')).toBe('application/octet-stream')
    expect(first.json.visitorId).toMatch(ID)
    expect(first.json.sessionId).toMatch(ID)
    expect(first.json.pageId).toMatch(/^\d+$/)
    const again = await engage(emu, { query: { vid: first.json.visitorId, sid: first.json.sessionId } })
    expect(again.status).toBe(200)
    expect(again.json).toMatchObject({ visitorId: first.json.visitorId, sessionId: first.json.sessionId })
    expect(again.json.pageId).not.toBe(first.json.pageId)
    expect(emu.sessions(ACCOUNT)).toHaveLength(1)
  })

  test('an unknown well-formed sid gets a new session; an unknown well-formed vid is adopted', async ({ emu }) => {
    const res = await engage(emu, { query: { vid: WELL_FORMED_VID, sid: 'ZzZzZzZzZzZzZzZzZzZzZz' } })
    expect(res.status).toBe(201)
    expect(res.json.visitorId).toBe(WELL_FORMED_VID)
    expect(res.json.sessionId).toMatch(ID)
    expect(res.json.sessionId).not.toBe('ZzZzZzZzZzZzZzZzZzZzZz')
  })

  test('a sid paired with another vid is not that session', async ({ emu }) => {
    const first = (await engage(emu)).json
    const res = await engage(emu, { query: { vid: WELL_FORMED_VID, sid: first.sessionId } })
    expect(res.status).toBe(201)
    expect(res.json.sessionId).not.toBe(first.sessionId)
  })

  test('malformed vid: 404/37; malformed sid: 404/39', async ({ emu }) => {
    const vid = await engage(emu, { query: { vid: 'short' } })
    expect(vid.status).toBe(404)
    expect(vid.json.internalCode).toBe(37)
    const sid = await engage(emu, { query: { vid: WELL_FORMED_VID, sid: 'has-dash-not-allowed-here' } })
    expect(sid.status).toBe(404)
    expect(sid.json.internalCode).toBe(39)
  })

  test('a session idle for more than 30 minutes has expired', async () => {
    let clock = 1_000_000
    await withEmulator({ now: () => clock }, async (emu) => {
      const first = (await engage(emu)).json
      const ids = { vid: first.visitorId, sid: first.sessionId }
      clock += 29 * 60_000
      expect((await engage(emu, { query: ids })).status).toBe(200)
      clock += 30 * 60_000 + 1
      const later = await engage(emu, { query: ids })
      expect(later.status).toBe(201)
      expect(later.json.visitorId).toBe(first.visitorId)
      expect(later.json.sessionId).not.toBe(first.sessionId)
    })
  })
})

test.describe('Loading account', () => {
  test('v1.0: 500/20 with a minted vid; the retry with that vid gets it as visitorId', async ({ emu }) => {
    emu.warmUp(ACCOUNT, 1)
    const loading = await engage(emu, { query: { v: '1.0' } })
    expect(loading.status).toBe(500)
    expect(loading.json.internalCode).toBe(20)
    const vid = /^Loading account: 12345678, vid: ([A-Za-z0-9]+)$/.exec(loading.json.message)?.[1]
    expect(vid).toMatch(ID)
    const retry = await engage(emu, { query: { v: '1.0', vid } })
    expect(retry.status).toBe(201)
    expect(retry.json.visitorId).toBe(vid)
  })

  test('v1.1: 202/38 naming the vid the request sent, as many times as asked', async ({ emu }) => {
    emu.warmUp(ACCOUNT, 2)
    for (let i = 0; i < 2; i++) {
      const loading = await engage(emu, { query: { vid: WELL_FORMED_VID } })
      expect(loading.status).toBe(202)
      expect(loading.json).toMatchObject({ internalCode: 38, message: `Loading account: ${ACCOUNT}, vid: ${WELL_FORMED_VID}` })
    }
    const ready = await engage(emu, { query: { vid: WELL_FORMED_VID } })
    expect(ready.status).toBe(201)
    expect(ready.json.visitorId).toBe(WELL_FORMED_VID)
    expect(emu.sessions(ACCOUNT)).toHaveLength(1)
  })

  test('"warmUp" in the campaigns file applies at start and again after reset', async () => {
    const campaigns = { accounts: { [ACCOUNT]: { apps: [APP], warmUp: 1, campaigns: [] } } }
    await withEmulator({ campaigns }, async (emu) => {
      expect((await engage(emu)).status).toBe(202)
      expect((await engage(emu)).status).toBe(201)
      emu.reset()
      expect((await engage(emu)).status).toBe(202)
    })
  })
})

test.describe('eligibility', () => {
  const engagementOf = (res: { json: any }) => res.json.engagementDetails?.[0]?.engagementId

  test('section sales gets the Sales campaign with every documented field', async ({ emu }) => {
    const res = await engage(emu, { body: pageBody({ sections: ['Sales'] }) })
    expect(res.json.engagementDetails).toEqual([
      {
        campaignId: 3346848610,
        engagementId: SALES,
        engagementRevision: 44,
        contextId: '1',
        connectorId: 2642324112,
        windowId: '3346847910',
        language: 'en-US',
        status: 'expose',
        validForSeconds: 900,
        skillId: 3346849010,
        skillName: 'Sales',
      },
    ])
    expect(engagementOf(await engage(emu, { body: pageBody({ sections: ['support'] }) }))).toBe(SITE_WIDE)
  })

  test('entry point glob */checkout* matches http(s) entry points only', async ({ emu }) => {
    expect(engagementOf(await engage(emu, { body: pageBody({ url: 'https://shop.example/checkout/step-2' }) }))).toBe(CHECKOUT)
    const body = { ...pageBody(), entryPoints: ['tel://checkout', 'https://shop.example/cart'] }
    expect(engagementOf(await engage(emu, { body }))).toBe(SITE_WIDE)
  })

  test('SDE cart total > 100, numbers as strings, and SDEs of earlier requests in the session', async ({ emu }) => {
    expect(engagementOf(await engage(emu, { body: pageBody({ sdes: [{ type: 'cart', total: 50 }] }) }))).toBe(SITE_WIDE)
    const first = await engage(emu, { body: pageBody({ sdes: [{ type: 'cart', total: '150.00' }] }) })
    expect(engagementOf(first)).toBe(BIG_CART)
    const ids = { vid: first.json.visitorId, sid: first.json.sessionId }
    const second = await engage(emu, { query: ids })
    expect(engagementOf(second)).toBe(BIG_CART)
    expect(second.json.engagementDetails[0].contextId).toBe('2')
    // The latest cart replaces the earlier one.
    expect(engagementOf(await engage(emu, { query: ids, body: pageBody({ sdes: [{ type: 'cart', total: 20 }] }) }))).toBe(SITE_WIDE)
  })

  test('section names ignore case; a glob must match the whole entry point', async () => {
    const campaign = (engagementId: number, rules: object) => ({ campaignId: 1, engagementId, engagementRevision: 1, rules })
    const campaigns = [campaign(1, { sections: ['Sales'] }), campaign(2, { entryPoints: ['https://*.example/help'] })]
    await withEmulator({ campaigns: { accounts: { [ACCOUNT]: { apps: [APP], campaigns } } } }, async (emu) => {
      expect(engagementOf(await engage(emu, { body: pageBody({ sections: ['SALES'] }) }))).toBe(1)
      expect(engagementOf(await engage(emu, { body: pageBody({ url: 'https://shop.example/help' }) }))).toBe(2)
      expect(engagementOf(await engage(emu, { body: pageBody({ url: 'https://shop.example/help/more' }) }))).toBeUndefined()
    })
  })

  test('nested SDE fields by dot path', async ({ emu }) => {
    const body = pageBody({ sdes: [{ type: 'ctmrinfo', info: { ctype: 'vip' } }] })
    expect(engagementOf(await engage(emu, { body }))).toBe(3562981410)
  })

  test('no eligible campaign: no engagementDetails key', async () => {
    const campaign = { campaignId: 1, engagementId: 2, engagementRevision: 3, rules: { sections: ['sales'] } }
    await withEmulator({ campaigns: { accounts: { [ACCOUNT]: { apps: [APP], campaigns: [campaign] } } } }, async (emu) => {
      const res = await engage(emu)
      expect(res.status).toBe(201)
      expect(Object.keys(res.json).sort()).toEqual(['pageId', 'sessionId', 'visitorId'])
      expect(res.headers.get('content-type')).toBe('application/json')
    })
  })

  test('an open conversation replaces the offer', async ({ emu }) => {
    emu.openConversation(ACCOUNT, WELL_FORMED_VID, { conversationId: 'conv-1', campaignId: 3346848610, engagementId: SALES })
    const res = await engage(emu, { query: { vid: WELL_FORMED_VID }, body: pageBody({ sections: ['sales'] }) })
    expect(res.json.engagementDetails).toEqual([
      { campaignId: 3346848610, engagementId: SALES, engagementRevision: 44, conversationId: 'conv-1', connectorId: 2642324112, status: 'conversation' },
    ])
    expect(engagementOf(await engage(emu, { body: pageBody({ sections: ['sales'] }) }))).toBe(SALES)
  })

  test('openConversation refuses a vid the API would never send', async ({ emu }) => {
    expect(() => emu.openConversation(ACCOUNT, 'x', { conversationId: 'c', campaignId: 1, engagementId: 2 })).toThrow(/vid/)
  })
})

test.describe('Report method', () => {
  test('impressions of an exposed engagement are accepted and kept; SDEs join the session', async ({ emu }) => {
    const first = (await engage(emu, { body: pageBody({ sections: ['sales'] }) })).json
    const detail = first.engagementDetails[0]
    const display = impression('impDisplay', detail, '1')
    const res = await report(emu, first, [display, impression('impClose', detail), { type: 'cart', total: 500 }])
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ sessionId: first.sessionId, visitorId: first.visitorId, pageId: '123' })
    const [session] = emu.sessions(ACCOUNT)
    expect(session?.impressions).toEqual([display, impression('impClose', detail)])
    expect(session?.contexts).toEqual({ '1': { campaignId: 3346848610, engagementId: SALES, engagementRevision: 44 } })
    const next = await engage(emu, { query: { vid: first.visitorId, sid: first.sessionId } })
    expect(next.json.engagementDetails[0].engagementId).toBe(BIG_CART)
  })

  test('a real PUT is accepted too', async ({ emu }) => {
    const first = (await engage(emu)).json
    const res = await report(emu, first, [impression('impAccept', first.engagementDetails[0], '1')], { method: 'PUT', headers: { 'X-HTTP-Method-Override': '' } })
    expect(res.status).toBe(200)
  })

  test('impressions of an engagement the session was not shown: 400/5', async ({ emu }) => {
    const first = (await engage(emu)).json
    const detail = first.engagementDetails[0]
    for (const event of [
      impression('impDisplay', { ...detail, engagementId: SALES }, '1'),
      impression('impDisplay', detail, '2'),
      impression('impDisplay', { ...detail, engagementRevision: 1 }, '1'),
      impression('impAccept', detail),
    ]) {
      const res = await report(emu, first, [event])
      expect(res.status, JSON.stringify(event)).toBe(400)
      expect(res.json.internalCode).toBe(5)
    }
    expect(emu.sessions(ACCOUNT)[0]?.impressions).toEqual([])
  })

  test('a dead session: 404/39; bad ids and versions as on the engagement method', async ({ emu }) => {
    const first = (await engage(emu)).json
    const dead = await report(emu, { ...first, sessionId: 'ZzZzZzZzZzZzZzZzZzZzZz' }, [])
    expect(dead.status).toBe(404)
    expect(dead.json.internalCode).toBe(39)
    expect((await report(emu, { ...first, visitorId: 'bad!' }, [])).json.internalCode).toBe(37)
    expect((await report(emu, first, [], { query: { v: '3' } })).json.internalCode).toBe(33)
    expect((await report(emu, first, [], { app: 'nope' })).json.internalCode).toBe(18)
  })
})

test.describe('faults', () => {
  test('status and internalCode, FIFO and counted, only on their kind, with CORS', async ({ emu }) => {
    emu.fault({ status: 503, count: 2 })
    emu.fault({ status: 500, internalCode: 18, message: 'boom' })
    emu.fault({ kind: 'report', status: 500 })
    const origin = { Origin: 'https://shop.example' }
    const a = await engage(emu, { headers: origin })
    expect(a.status).toBe(503)
    expect(a.json).toMatchObject({ message: 'Service Unavailable' })
    expect(a.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect((await engage(emu)).status).toBe(503)
    const c = await engage(emu)
    expect(c.status).toBe(500)
    expect(c.json).toMatchObject({ message: 'boom', internalCode: 18 })
    const ok = await engage(emu)
    expect(ok.status).toBe(201)
    expect(emu.received('engagement').map((r) => r.status)).toEqual([503, 503, 500, 201])
    expect((await report(emu, ok.json, [])).status).toBe(500)
    expect((await report(emu, ok.json, [])).status).toBe(200)
  })

  test('a raw body is sent as is, with its content type', async ({ emu }) => {
    emu.fault({ body: '{"sessionId":"abc', contentType: 'text/plain' })
    emu.fault({ status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' })
    const truncated = await fetch(endpoint(emu, 'engagement', {}), { method: 'POST', body: JSON.stringify(pageBody()) })
    expect(truncated.status).toBe(200)
    expect(truncated.headers.get('content-type')).toBe('text/plain')
    expect(await truncated.text()).toBe('{"sessionId":"abc')
    const html = await fetch(endpoint(emu, 'engagement', {}), { method: 'POST', body: JSON.stringify(pageBody()) })
    expect(html.status).toBe(502)
    expect(html.headers.get('content-type')).toBe('text/html')
    expect(await html.text()).toBe('<html>Bad gateway</html>')
  })

  test('delayMs alone: the normal answer comes late', async ({ emu }) => {
    emu.fault({ delayMs: 300 })
    const started = Date.now()
    const res = await engage(emu)
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
    expect(res.status).toBe(201)
    const started2 = Date.now()
    await engage(emu)
    expect(Date.now() - started2).toBeLessThan(280)
  })

  test('drop: the connection closes without an answer and fetch rejects', async ({ emu }) => {
    emu.fault({ drop: true })
    await expect(engage(emu)).rejects.toThrow()
    expect(emu.received('engagement')[0]?.status).toBe(0)
    expect(emu.sessions(ACCOUNT)).toEqual([])
    expect((await engage(emu)).status).toBe(201)
  })

  test('close() does not wait for a delayed answer', async () => {
    const emu = await createEmulator()
    emu.fault({ delayMs: 10_000 })
    const pending = engage(emu).catch((error: unknown) => error)
    await expect.poll(() => emu.received('engagement').length).toBe(1)
    const started = Date.now()
    await emu.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })

  test('a closed emulator leaves nothing to keep Node running', async () => {
    // A pending delay timer or a kept-alive socket would keep the CLI and test workers alive.
    const script = `
      import { createEmulator } from ${JSON.stringify(new URL('./emulator.mjs', import.meta.url).href)}
      const emu = await createEmulator()
      emu.fault({ delayMs: 20000 })
      fetch(emu.url + '/api/account/${ACCOUNT}/app/${APP}/engagement?v=1.1', { method: 'POST', body: '{}' }).catch(() => {})
      while (emu.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
      await emu.close()`
    const started = Date.now()
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 4000 })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  test('fault() refuses specs that would do nothing or cannot be sent', async ({ emu }) => {
    expect(() => emu.fault({})).toThrow()
    expect(() => emu.fault({ kind: 'preflight' as any, status: 500 })).toThrow(/kind/)
    expect(() => emu.fault({ status: 42 })).toThrow(/status/)
    expect(() => emu.fault({ status: 500, count: 0 })).toThrow(/count/)
  })
})

test.describe('recording, reset and control', () => {
  test('every request is recorded in arrival order with what it was answered', async ({ emu }) => {
    const before = Date.now()
    const body = pageBody()
    await engage(emu, { query: { v: '1.0' }, body, headers: { 'X-Test': 'yes' } })
    await fetch(`${emu.url}/nowhere?x=1`, { method: 'POST', body: 'plain text' })
    await fetch(`${emu.url}/nowhere`)
    expect(emu.requests).toHaveLength(3)
    const [first, second, third] = emu.requests
    expect(first).toMatchObject({
      kind: 'engagement',
      method: 'POST',
      path: `/api/account/${ACCOUNT}/app/${APP}/engagement`,
      query: { v: '1.0', obh: 'false' },
      body,
      status: 201,
    })
    expect(first?.headers['x-test']).toBe('yes')
    expect(first?.at).toBeGreaterThanOrEqual(before)
    expect(second).toMatchObject({ kind: 'other', body: 'plain text', status: 404, query: { x: '1' } })
    expect(third?.body).toBeUndefined()
    expect(emu.received('other')).toHaveLength(2)
  })

  test('reset forgets sessions, faults, warm-ups, conversations and requests', async ({ emu }) => {
    const first = (await engage(emu)).json
    emu.fault({ status: 500 })
    emu.warmUp(ACCOUNT, 3)
    emu.openConversation(ACCOUNT, first.visitorId, { conversationId: 'c', campaignId: 1, engagementId: 2 })
    const requests = emu.requests
    emu.reset()
    expect(emu.requests).toBe(requests)
    expect(requests).toEqual([])
    expect(emu.sessions(ACCOUNT)).toEqual([])
    const after = await engage(emu, { query: { vid: first.visitorId, sid: first.sessionId } })
    expect(after.status).toBe(201)
    expect(after.json.engagementDetails[0].status).toBe('expose')
  })

  test('control endpoints drive the same state over HTTP', async ({ emu }) => {
    const post = (path: string, body?: unknown) =>
      fetch(`${emu.url}/__emulator/${path}`, { method: 'POST', headers: { Origin: 'https://demo.example' }, body: body === undefined ? undefined : JSON.stringify(body) })
    expect((await post('warmup', { account: ACCOUNT, times: 1 })).status).toBe(204)
    expect((await engage(emu)).status).toBe(202)
    const faulted = await post('faults', { status: 503 })
    expect(faulted.headers.get('access-control-allow-origin')).toBe('https://demo.example')
    expect((await engage(emu)).status).toBe(503)
    expect((await post('conversations', { account: ACCOUNT, vid: WELL_FORMED_VID, conversationId: 'c9', campaignId: 1, engagementId: 2 })).status).toBe(204)
    expect((await engage(emu, { query: { vid: WELL_FORMED_VID } })).json.engagementDetails[0].conversationId).toBe('c9')
    expect((await post('faults', { kind: 'nope', status: 500 })).status).toBe(400)
    const listed = await (await fetch(`${emu.url}/__emulator/requests?kind=engagement`)).json()
    expect(listed.map((r: { status: number }) => r.status)).toEqual([202, 503, 201])
    expect(emu.received('control').length).toBeGreaterThanOrEqual(5)
    expect((await post('reset')).status).toBe(204)
    expect(emu.received('engagement')).toEqual([])
  })
})
