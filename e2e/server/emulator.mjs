// @ts-check
// A stand-in for LivePerson's Monitoring API (engagement and Report methods) that follows
// ../shared/reference/monitoring-api-*.md closely enough for the tag not to tell the difference,
// plus what tests need: faults, "Loading account" warm-ups, open conversations and a log of every
// request. Used in-process by the Playwright tests and the demo; also a CLI:
//   node e2e/server/emulator.mjs [--port 8081] [--host 127.0.0.1] [--campaigns file]
import { createServer, STATUS_CODES } from 'node:http'
import { readFile } from 'node:fs/promises'
import { randomInt } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { IMPRESSIONS, checkCampaigns, eligible, exposedBy, invalidBody, isObject } from './emulator-rules.mjs'

/** @typedef {import('./emulator-rules.mjs').CampaignsFile} CampaignsFile */
/** @typedef {import('./emulator-rules.mjs').AccountConfig} AccountConfig */
/** @typedef {import('./emulator-rules.mjs').Campaign} Campaign */
/** @typedef {import('./emulator-rules.mjs').Attribute} Attribute */
/** @typedef {import('./emulator-rules.mjs').Exposed} Exposed */
/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

/** @typedef {'engagement' | 'report' | 'preflight' | 'control' | 'other'} Kind */

/**
 * One request as it arrived, and what it was answered.
 * @typedef {object} RecordedRequest
 * @property {Kind} kind
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers lower-cased names
 * @property {unknown} body parsed JSON when it parses, else the raw text; undefined when empty
 * @property {number} status 0 until answered, and for a dropped connection
 * @property {number} at `Date.now()` on arrival
 * @property {string} [visitorId] the visitor an engagement answer was for (the demo lists one browser's requests by it)
 */

/**
 * What the next requests of a kind get instead of (or later than) their normal answer.
 * @typedef {object} FaultSpec
 * @property {'engagement' | 'report'} [kind] default 'engagement'
 * @property {number} [count] how many requests it hits; default 1
 * @property {number} [status] answered with `{time, message, internalCode}` unless `body` is given
 * @property {number} [internalCode]
 * @property {string} [message] default: the status text
 * @property {string} [body] sent as is (HTML error pages, truncated JSON...); status default 200
 * @property {number} [delayMs] wait first; alone, the normal answer comes late
 * @property {boolean} [drop] destroy the socket instead of answering
 * @property {string} [contentType] default application/json
 */

/**
 * @typedef {object} ConversationSpec
 * @property {string} conversationId
 * @property {number | string} campaignId
 * @property {number | string} engagementId
 * @property {number | string} [engagementRevision] default: the account's campaign with that engagementId, else 1
 * @property {number | string} [connectorId] default: from that campaign
 * @property {'conversation' | 'interaction'} [status] default 'conversation'
 */

/**
 * A session as `sessions()` shows it: contexts maps each contextId to the engagement it exposed.
 * @typedef {{vid: string, sid: string, sdes: Attribute[], contexts: Record<string, Exposed>, impressions: Attribute[]}} SessionView
 */

/**
 * @typedef {object} Emulator
 * @property {string} url origin, no trailing slash, e.g. `http://127.0.0.1:54321`
 * @property {() => Promise<void>} close also destroys open sockets, so tests never hang
 * @property {() => void} reset forgets sessions, faults, warm-ups, conversations and recorded requests
 * @property {RecordedRequest[]} requests every request, in arrival order (the same array after reset)
 * @property {(kind: Kind) => RecordedRequest[]} received
 * @property {(spec?: FaultSpec) => void} fault queue a fault; FIFO per kind
 * @property {(account: string, times: number) => void} warmUp the next `times` engagement requests answer "Loading account"
 * @property {(account: string, vid: string, conversation: ConversationSpec) => void} openConversation
 * @property {(account: string) => SessionView[]} sessions
 */

/** @typedef {{vid: string, sid: string, sdes: Attribute[], contexts: Map<string, Exposed>, impressions: Attribute[], lastSeen: number}} Session */
/** @typedef {{loading: number, sessions: Map<string, Session>, conversations: Map<string, object>}} AccountState */
/** @typedef {{status: number, body?: unknown, raw?: string, contentType?: string | undefined, headers?: Record<string, string>}} Answer */

const API_PATH = /^\/api\/account\/([^/]+)\/app\/([^/]+)\/(engagement|report)$/
const ID = /^[A-Za-z0-9]{20,32}$/
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const SESSION_IDLE_MS = 30 * 60 * 1000
// The real service's CORS: no PUT, hence the Report method's POST + X-HTTP-Method-Override.
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, POST, PATCH',
  'Access-Control-Allow-Headers': 'Content-Type, X-HTTP-Method-Override',
  'Access-Control-Max-Age': '600',
}

/**
 * Starts an emulator. `now` is the clock sessions expire by, for tests.
 * @example
 * const emulator = await createEmulator()
 * emulator.fault({status: 503})          // the next engagement request fails
 * await emulator.close()
 * @param {{port?: number, host?: string, campaigns?: object | string | URL, now?: () => number}} [options]
 *   `campaigns`: a {@link CampaignsFile} object or the path of one; checked at start
 * @returns {Promise<Emulator>}
 */
export async function createEmulator({
  port = 0,
  host = '127.0.0.1',
  campaigns = new URL('./campaigns.json', import.meta.url),
  now = Date.now,
} = {}) {
  const file = checkCampaigns(
    typeof campaigns === 'string' || campaigns instanceof URL ? JSON.parse(await readFile(campaigns, 'utf8')) : campaigns,
  )
  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {{spec: FaultSpec, left: number}[]} */
  const faults = []
  /** @type {Map<string, AccountState>} */
  const accounts = new Map()
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  let nextPage = randomInt(1e9, 4e9)

  /** @param {number} status @param {number | undefined} internalCode @param {string} message @returns {Answer} */
  const error = (status, internalCode, message) => ({ status, body: { time: Date.now(), message, internalCode } })

  /** @param {string} account */
  const configOf = (account) => (Object.hasOwn(file.accounts, account) ? file.accounts[account] : file.accounts['*'])

  // Created on first use, which is when a configured warm-up starts to count for that account.
  /** @param {string} account */
  function stateOf(account) {
    let state = accounts.get(account)
    if (!state) {
      state = { loading: configOf(account)?.warmUp ?? 0, sessions: new Map(), conversations: new Map() }
      accounts.set(account, state)
    }
    return state
  }

  /** @param {AccountState} state @param {string | null} vid @param {string | null} sid */
  function liveSession(state, vid, sid) {
    const session = sid === null ? undefined : state.sessions.get(sid)
    if (!session || session.vid !== vid) return undefined
    if (now() - session.lastSeen > SESSION_IDLE_MS) {
      state.sessions.delete(session.sid)
      return undefined
    }
    session.lastSeen = now()
    return session
  }

  /** @param {Request} req @param {Response} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const method = req.method ?? 'GET'
    // The tests' barrier (e2e/support/fixtures.ts \`quiet\`): answered, never recorded.
    if (url.pathname === '/__emulator/barrier') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', 'Cache-Control': 'no-store' }).end()
      return
    }
    /** @type {RecordedRequest} */
    const record = {
      kind: classify(method, url.pathname),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: undefined,
      status: 0,
      at: Date.now(),
    }
    requests.push(record)
    try {
      const text = await readText(req)
      record.body = text === '' ? undefined : (parseJson(text) ?? { value: text }).value
      const fault = record.kind === 'engagement' || record.kind === 'report' ? takeFault(record.kind) : undefined
      if (fault?.delayMs) {
        await sleep(fault.delayMs)
        if (req.socket.destroyed) return
      }
      if (fault?.drop) return void req.socket.destroy()
      const answer = fault && (fault.status !== undefined || fault.body !== undefined) ? faultAnswer(fault) : route(record, url)
      send(req, res, answer)
      record.status = answer.status
      if (isObject(answer.body) && typeof answer.body.visitorId === 'string') record.visitorId = answer.body.visitorId
    } catch {
      // A client that went away mid-body has nobody left to answer.
      if (req.socket.destroyed) return
      if (res.headersSent) return void res.destroy()
      send(req, res, error(500, 18, 'internal server error'))
      record.status = 500
    }
  }

  /** @param {RecordedRequest} record @param {URL} url @returns {Answer} */
  function route({ kind, method, headers, body }, url) {
    if (kind === 'preflight') return { status: 204, headers: PREFLIGHT }
    if (kind === 'control') return control(method, url, body)
    if (kind === 'other') return error(404, undefined, `Not found: ${method} ${url.pathname}`)
    const override = String(headers['x-http-method-override'] ?? '').toUpperCase()
    const allowed = kind === 'engagement' ? method === 'POST' : method === 'PUT' || (method === 'POST' && override === 'PUT')
    if (!allowed) return error(405, undefined, `${kind} takes ${kind === 'engagement' ? 'POST' : 'PUT, or POST with X-HTTP-Method-Override: PUT'}`)
    const [, account = '', app = ''] = API_PATH.exec(url.pathname) ?? []
    const query = url.searchParams
    const v = query.get('v')
    if (v !== '1.0' && v !== '1.1') return error(400, 33, 'Illegal API version requested')
    const config = configOf(account)
    if (!config) return error(404, 18, `invalid account: ${account}`)
    return { contentType: config.contentType, ...api(kind, account, app, config, v, query, body) }
  }

  /**
   * @param {'engagement' | 'report'} kind @param {string} account @param {string} app
   * @param {AccountConfig} config @param {'1.0' | '1.1'} v @param {URLSearchParams} query @param {unknown} body
   * @returns {Answer}
   */
  function api(kind, account, app, config, v, query, body) {
    if (!config.apps.includes(app)) return error(404, 18, `invalid appInstallationId: ${app}`)
    const vid = query.get('vid')
    const sid = query.get('sid')
    if (vid !== null && !ID.test(vid)) return error(404, 37, `invalid visitorId: ${vid}`)
    if (sid !== null && !ID.test(sid)) return error(404, 39, `invalid sessionId: ${sid}`)
    const invalid = invalidBody(body, kind)
    if (invalid) return error(400, 5, `Invalid request: ${invalid}`)
    const valid = /** @type {{entryPoints?: string[], engagementAttributes?: Attribute[], pageId?: unknown}} */ (body)
    const state = stateOf(account)
    return kind === 'engagement' ? engagement(account, config, state, v, vid, sid, valid) : report(state, vid, sid, valid)
  }

  /**
   * @param {string} account @param {AccountConfig} config @param {AccountState} state @param {'1.0' | '1.1'} v
   * @param {string | null} vid @param {string | null} sid @param {{entryPoints?: string[], engagementAttributes?: Attribute[]}} body
   * @returns {Answer}
   */
  function engagement(account, config, state, v, vid, sid, body) {
    if (state.loading > 0) {
      state.loading--
      // The message names the visitor being loaded; clients retry with `?vid=` set to it, and a
      // well-formed unknown vid is adopted, so that retry gets a session with exactly this vid.
      const message = `Loading account: ${account}, vid: ${vid ?? mintId()}`
      return v === '1.0' ? error(500, 20, message) : error(202, 38, message)
    }
    const known = liveSession(state, vid, sid)
    /** @type {Session} */
    const session = known ?? { vid: vid ?? mintId(), sid: mintId(), sdes: [], contexts: new Map(), impressions: [], lastSeen: now() }
    state.sessions.set(session.sid, session)
    session.sdes.push(...(body.engagementAttributes ?? []))
    /** @type {Record<string, unknown>} */
    const answer = { sessionId: session.sid, visitorId: session.vid, pageId: String(nextPage++) }
    const conversation = state.conversations.get(session.vid)
    const campaign = conversation ? undefined : config.campaigns.find((c) => eligible(c, body.entryPoints ?? [], session.sdes))
    // No eligible campaign: no engagementDetails key at all, which is how "not available" looks.
    if (conversation) answer.engagementDetails = [conversation]
    else if (campaign) answer.engagementDetails = [expose(campaign, session)]
    return { status: known ? 200 : 201, body: answer }
  }

  /**
   * @param {AccountState} state @param {string | null} vid @param {string | null} sid
   * @param {{engagementAttributes?: Attribute[], pageId?: unknown}} body
   * @returns {Answer}
   */
  function report(state, vid, sid, body) {
    const session = liveSession(state, vid, sid)
    if (!session) return error(404, 39, `invalid sessionId: ${sid}`)
    const attributes = body.engagementAttributes ?? []
    const bad = attributes.findIndex((a) => IMPRESSIONS.includes(a.type) && !exposedBy(session.contexts, a))
    if (bad >= 0) {
      return error(400, 5, `Invalid request: engagementAttributes[${bad}] (${attributes[bad]?.type}) matches no engagement exposed in this session`)
    }
    for (const a of attributes) (IMPRESSIONS.includes(a.type) ? session.impressions : session.sdes).push(a)
    const pageId = typeof body.pageId === 'string' ? body.pageId : String(nextPage++)
    return { status: 200, body: { sessionId: session.sid, visitorId: session.vid, pageId } }
  }

  /** @param {string} method @param {URL} url @param {unknown} body @returns {Answer} */
  function control(method, url, body) {
    // The public functions check their own arguments; a bad one becomes a 400 here.
    const args = /** @type {any} */ (isObject(body) ? body : {})
    try {
      switch (`${method} ${url.pathname}`) {
        case 'GET /__emulator/requests': {
          const kind = url.searchParams.get('kind')
          return { status: 200, body: kind ? received(/** @type {Kind} */ (kind)) : requests }
        }
        case 'POST /__emulator/reset':
          reset()
          break
        case 'POST /__emulator/faults':
          fault(args)
          break
        case 'POST /__emulator/warmup':
          warmUp(args.account, args.times)
          break
        case 'POST /__emulator/conversations':
          openConversation(args.account, args.vid, args)
          break
        default:
          return error(404, undefined, `Not found: ${method} ${url.pathname}`)
      }
    } catch (e) {
      return error(400, 5, e instanceof Error ? e.message : String(e))
    }
    return { status: 204 }
  }

  /** @param {'engagement' | 'report'} kind */
  function takeFault(kind) {
    const i = faults.findIndex((f) => f.spec.kind === kind)
    const queued = faults[i]
    if (!queued) return undefined
    if (--queued.left === 0) faults.splice(i, 1)
    return queued.spec
  }

  /** @param {FaultSpec} f @returns {Answer} */
  function faultAnswer(f) {
    const status = f.status ?? 200
    if (f.body !== undefined) return { status, raw: f.body, contentType: f.contentType }
    return { ...error(status, f.internalCode, f.message ?? STATUS_CODES[status] ?? 'Fault'), contentType: f.contentType }
  }

  /** @param {number} ms */
  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve(undefined)
      }, ms)
      timers.add(timer)
    })

  /** @param {Kind} kind */
  const received = (kind) => requests.filter((r) => r.kind === kind)

  function reset() {
    requests.length = 0
    faults.length = 0
    accounts.clear()
  }

  /** @param {FaultSpec} [spec] */
  function fault(spec = {}) {
    const { kind = 'engagement', count = 1, status, body, delayMs, drop } = spec
    if (kind !== 'engagement' && kind !== 'report') throw new TypeError(`fault: kind must be "engagement" or "report", not ${kind}`)
    if (!Number.isInteger(count) || count < 1) throw new TypeError('fault: count must be a positive integer')
    if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) throw new TypeError('fault: status must be an HTTP status')
    if (body !== undefined && typeof body !== 'string') throw new TypeError('fault: body must be a string, sent as is')
    if (status === undefined && body === undefined && !delayMs && !drop) throw new TypeError('fault: give a status, a body, a delayMs or drop')
    faults.push({ spec: { ...spec, kind }, left: count })
  }

  /** @param {string} account @param {number} times */
  function warmUp(account, times) {
    if (typeof account !== 'string' || !Number.isInteger(times) || times < 0) {
      throw new TypeError('warmUp(account, times): an account id and a whole number of answers')
    }
    stateOf(account).loading = times
  }

  /** @param {string} account @param {string} vid @param {ConversationSpec} c */
  function openConversation(account, vid, c) {
    if (typeof account !== 'string' || typeof vid !== 'string' || !ID.test(vid) || !isObject(c) || typeof c.conversationId !== 'string') {
      throw new TypeError('openConversation(account, vid, {conversationId, campaignId, engagementId}): vid must be 20-32 letters or digits')
    }
    if (c.campaignId === undefined || c.engagementId === undefined) throw new TypeError('openConversation: campaignId and engagementId are required')
    if (c.status !== undefined && c.status !== 'conversation' && c.status !== 'interaction') {
      throw new TypeError('openConversation: status must be "conversation" or "interaction"')
    }
    const campaign = configOf(account)?.campaigns.find((x) => String(x.engagementId) === String(c.engagementId))
    stateOf(account).conversations.set(vid, {
      campaignId: c.campaignId,
      engagementId: c.engagementId,
      engagementRevision: c.engagementRevision ?? campaign?.engagementRevision ?? 1,
      conversationId: c.conversationId,
      connectorId: c.connectorId ?? campaign?.connectorId,
      status: c.status ?? 'conversation',
    })
  }

  /** @param {string} account @returns {SessionView[]} */
  function sessions(account) {
    return [...(accounts.get(account)?.sessions.values() ?? [])].map((s) => ({
      vid: s.vid,
      sid: s.sid,
      sdes: structuredClone(s.sdes),
      contexts: Object.fromEntries(s.contexts),
      impressions: structuredClone(s.impressions),
    }))
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    reset,
    requests,
    received,
    fault,
    warmUp,
    openConversation,
    sessions,
  }
}

/** @param {string} method @param {string} path @returns {Kind} */
function classify(method, path) {
  if (method === 'OPTIONS') return 'preflight'
  if (path.startsWith('/__emulator/')) return 'control'
  const kind = API_PATH.exec(path)?.[3]
  return kind === 'engagement' || kind === 'report' ? kind : 'other'
}

/** @param {Campaign} c @param {Session} session */
function expose(c, session) {
  // contextId counts up per session; the Report method checks impressions against it.
  const contextId = String(session.contexts.size + 1)
  const { campaignId, engagementId, engagementRevision } = c
  session.contexts.set(contextId, { campaignId, engagementId, engagementRevision })
  const { connectorId, windowId, language, validForSeconds, skillId, skillName } = c
  return { campaignId, engagementId, engagementRevision, contextId, connectorId, windowId, language, status: 'expose', validForSeconds, skillId, skillName }
}

/** @param {Request} req */
async function readText(req) {
  let text = ''
  req.setEncoding('utf8')
  for await (const chunk of req) text += chunk
  return text
}

/** @param {string} text @returns {{value: unknown} | undefined} */
function parseJson(text) {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function mintId() {
  let id = ''
  for (let i = 0; i < 22; i++) id += ID_CHARS.charAt(randomInt(ID_CHARS.length))
  return id
}

/** @param {Request} req @param {Response} res @param {Answer} answer */
function send(req, res, answer) {
  const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body))
  /** @type {Record<string, string | number>} */
  const headers = { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', Vary: 'Origin', ...answer.headers }
  if (text) Object.assign(headers, { 'Content-Type': answer.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.writeHead(answer.status, headers).end(text)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8081' }, host: { type: 'string', default: '127.0.0.1' }, campaigns: { type: 'string' } },
  })
  const emulator = await createEmulator({ port: Number(values.port), host: values.host, campaigns: values.campaigns })
  console.log(`emulator: ${emulator.url}`)
}
