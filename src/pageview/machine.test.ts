import { test, expect } from '@playwright/test'
import fc from 'fast-check'
import * as machine from './machine.ts'
import type { Attempt, Effects, Ids, Session, Settle } from './machine.ts'
import type { EngagementResult, Sde } from '../types.ts'

// The page view's promises about order and timing (contract sections 2, 5, 7 and 8), each a row
// of intents and the effects they must (and must not) cause, on a fake clock; then properties
// that random sequences of intents keep. The harness below is a fake browser shell.

/** An effect as data: its name (without the build's `_`) and its arguments. */
type EffectName = 'readIds' | 'storeIds' | 'eraseIds' | 'send' | 'abort' | 'arm' | 'disarm' | 'publish' | 'settle' | 'beforeSubmit' | 'entry' | 'startOffer' | 'endOffer' | 'prefetch' | 'error'
type Effect = [name: EffectName, ...args: unknown[]]

/** A readable attempt: what the page view asked the shell to send. */
interface Sent {
  vid?: string
  sid?: string
  report?: { pageId?: string; engagementAttributes: object[] }
  check?: { sub: string; url: string; sections: string[]; sdes: Sde[]; appDetails?: Record<string, string> }
}
const readable = (attempt: Attempt): Sent => ({
  vid: attempt.vid_,
  sid: attempt.sid_,
  ...(attempt.report_ ? { report: structuredClone(attempt.report_) } : {}),
  ...(attempt.check_
    ? { check: { sub: attempt.check_.sub_, url: attempt.check_.url_, sections: [...attempt.check_.sections_], sdes: structuredClone(attempt.check_.sdes_), appDetails: attempt.check_.appDetails_ } }
    : {}),
})

const SESSION = { sessionId: 's1', visitorId: 'v1', pageId: '100' }
const EXPOSE = { status: 'expose', campaignId: 11, engagementId: 22, engagementRevision: 3, contextId: 'c1' }
/** Answers as the API gives them: status and body. */
const ANSWERS = {
  offer: [201, { ...SESSION, engagementDetails: [EXPOSE] }],
  otherOffer: [200, { ...SESSION, engagementDetails: [{ ...EXPOSE, engagementId: 33 }] }],
  none: [200, SESSION],
  conversation: [200, { ...SESSION, engagementDetails: [{ status: 'conversation', conversationId: 'cv', campaignId: 11, engagementId: 22 }] }],
  unavailable: [503, ''],
  loading: [202, { internalCode: 38, message: 'Loading account: 1, vid: warm' }],
  forget: [404, { internalCode: 37 }],
  refused: [400, { internalCode: 5, message: 'bad' }],
} as const satisfies Record<string, readonly [number, unknown]>
type AnswerName = keyof typeof ANSWERS

/** What configuration gives, as the tests write it. */
interface Setup {
  url: string
  sections: string[]
  granted: boolean
  autoStart: boolean
  refreshMs?: number
}

/** The page view's intents, as the tests call them: the machine's functions, given the state. */
function intents(s: machine.State) {
  return {
    configure: (setup: Setup | EngagementResult) =>
      machine.configure(s, 'status' in setup ? setup : { url_: setup.url, sections_: setup.sections, granted_: setup.granted, autoStart_: setup.autoStart, refreshMs_: setup.refreshMs }),
    getEngagement: (asked: { vid?: string; sid?: string; sections?: string[]; sdes?: Sde[] }, done: (result: EngagementResult) => void) =>
      machine.getEngagement(s, { vid_: asked.vid, sid_: asked.sid, sections_: asked.sections, sdes_: asked.sdes }, done),
    start: () => machine.start(s),
    consent: (granted: boolean) => machine.consent(s, granted),
    newPage: (url: string, sections: string[] | undefined, sdes: Sde[]) => machine.newPage(s, url, sections, sdes),
    push: (sdes: Sde[], done?: Settle) => machine.push(s, sdes, done),
    held: () => s.held_,
    visibility: (hidden: boolean) => machine.visibility(s, hidden),
    idsRead: (era: number, stored: Ids | undefined, fresh: Ids) => machine.idsRead(s, era, stored, fresh),
    answered: (id: number, status: number, text: string) => machine.answered(s, id, status, text),
    entry: (id: number, validity?: number) => machine.entry(s, id, validity),
    fire: (name: string) => machine.fire(s, name),
    offerStarted: (id: number, data: object) => machine.offerStarted(s, id, data),
    offerEnded: (id: number, byVisitor?: boolean) => machine.offerEnded(s, id, byVisitor),
    offer: () => s.offer_,
    report: (session: Session, attributes: object[], done?: Settle) => machine.report(s, session, attributes, done),
  }
}
type PageView = ReturnType<typeof intents>

interface HarnessOptions {
  /** The ids IndexedDB holds at start. */
  stored?: Ids
  /** BEFORE_SUBMIT_SDE: what may leave the page. */
  beforeSubmit?: (sdes: Sde[]) => Sde[]
  /** Called on every effect, after it is recorded: a page listener calling back in. */
  onEffect?: (effect: Effect, pv: PageView) => void
  /** The validity the catalog gives (seconds), answered to `entry`. */
  catalogValidity?: number
  /** Each answer gives a new visitor and session (`v<n>`, `s<n>`), as the API does for a new visitor. */
  uniqueIds?: boolean
}

type Harness = ReturnType<typeof createHarness>

function createHarness(options: HarnessOptions = {}) {
  const effects: Effect[] = []
  let now = 1_000_000
  let hidden = false
  let stored = options.stored
  let freshCount = 0
  /** Timers armed: name → when it fires; 0-ms ones fire at the end of the task. */
  const timers = new Map<string, number>()
  /** Reads begun: what storage held when each began (as IndexedDB's snapshot). */
  const reads: [era: number, stored: Ids | undefined][] = []
  const entries: [check: number, engagementId: string][] = []
  /** Calls with an attempt on the wire: id → the attempt. */
  const wire = new Map<number, Sent>()
  const results: EngagementResult[] = []

  const record = (effect: Effect) => {
    effects.push(effect)
    options.onEffect?.(effect, pv)
  }

  const fx: Effects = {
    now_: () => now,
    hidden_: () => hidden,
    readIds_: (era) => void (reads.push([era, stored && { ...stored }]), record(['readIds'])),
    storeIds_: (ids) => ((stored = { ...ids }), record(['storeIds', { ...ids }])),
    eraseIds_: () => ((stored = undefined), record(['eraseIds'])),
    send_: (id, attempt) => (wire.set(id, readable(attempt)), record(['send', id, readable(attempt)])),
    abort_: (id) => void (wire.delete(id) && record(['abort', id])),
    arm_: (name, ms) => (timers.set(name, now + ms), record(['arm', name, ms])),
    disarm_: (name) => void (timers.delete(name) && record(['disarm', name])),
    publish_: (appName, eventName, data) => record(['publish', appName, eventName, structuredClone(data)]),
    settle_: (done, result) => done(structuredClone(result)),
    beforeSubmit_: (sdes) => (options.beforeSubmit ? options.beforeSubmit(sdes) : sdes),
    entry_: (check, engagementId) => (entries.push([check, engagementId]), record(['entry', check, engagementId])),
    startOffer_: (offer, result) => record(['startOffer', offer, structuredClone(result)]),
    endOffer_: () => record(['endOffer']),
    prefetch_: () => record(['prefetch']),
    error_: (error) => record(['error', error]),
  }
  const pv: PageView = intents(machine.createPageView(fx))

  /** What happens at the end of a task: id reads answered, end-of-task timers fired, the catalog's validity answered. */
  function settle() {
    for (let rounds = 0; rounds < 100; rounds++) {
      if (reads.length) {
        const [era, snapshot] = reads.shift()!
        pv.idsRead(era, snapshot, { sub: `fresh-${++freshCount}` })
        continue
      }
      const due = [...timers].find(([, at]) => at <= now)
      if (due) {
        timers.delete(due[0])
        pv.fire(due[0])
        continue
      }
      const entry = entries.shift()
      if (entry) {
        pv.entry(entry[0], options.catalogValidity)
        continue
      }
      return
    }
    throw new Error('the page view does not settle')
  }

  return {
    pv,
    effects,
    timers,
    wire,
    results,
    /** The effects recorded since the last call, by name (and the rest of their data). */
    take(...names: EffectName[]) {
      const taken = effects.splice(0)
      return names.length ? taken.filter(([name]) => names.includes(name)) : taken
    },
    settle,
    /** Moves the fake clock on by `ms`, firing every timer due on the way, in order. */
    runFor(ms: number) {
      const until = now + ms
      for (;;) {
        settle()
        const next = [...timers.values()].filter((at) => at <= until).sort((a, b) => a - b)[0]
        if (next === undefined) break
        now = next
      }
      now = until
      settle()
    },
    /** Answers the attempt on the wire (the only one, or call `id`) as `name` says. */
    answer(name: AnswerName, id?: number) {
      const callId = id ?? [...wire.keys()].at(-1)
      if (callId === undefined) throw new Error('no attempt on the wire')
      wire.delete(callId)
      const [status, body] = ANSWERS[name]
      let text = typeof body === 'string' ? body : JSON.stringify(body)
      if (options.uniqueIds) text = text.replace(/"([vs])1"/g, `"$1${++freshCount}"`).replace('vid: warm', `vid: warm${freshCount}`)
      pv.answered(callId, status, text)
      settle()
    },
    /** The engagement attempts on the wire now. */
    checksOnWire: () => [...wire.values()].filter((attempt) => !!attempt.check).length,
    /** A getEngagement() whose result lands in `results`. */
    getEngagement(asked = {}) {
      const at = results.length
      results.push(undefined as unknown as EngagementResult)
      pv.getEngagement(asked, (result) => {
        if (results[at]) throw new Error('settled twice')
        results[at] = result
      })
      return at
    },
    setHidden(value: boolean) {
      hidden = value
    },
    stored: () => stored,
    now: () => now,
  }
}

/** Configures `harness` as a page with consent granted and autoStart, unless told otherwise. */
function configure(harness: Harness, setup: Partial<Setup> = {}) {
  harness.pv.configure({ url: 'https://shop.example/p', sections: ['home'], granted: true, autoStart: true, ...setup })
  harness.settle()
}

// ---- helpers for the rows ----

/** The names of the effects recorded since the last look. */
const names = (h: Harness) => h.take().map(([name]) => name)
/** The attempts sent since the last look. */
const sent = (h: Harness) => h.take('send').map(([, id, attempt]) => ({ id: id as number, ...(attempt as Sent) }))
/** The events published since the last look, as `APP/EVENT`. */
const SDE = (keyword: string): Sde => ({ type: 'searchInfo', keywords: [keyword] })
const sdesOf = (attempt: Sent) => (attempt.check?.sdes ?? attempt.report?.engagementAttributes) as Sde[]

/** A configured page view whose first check is on the wire. */
function started(options: HarnessOptions = {}, setup: Partial<Setup> = {}) {
  const h = createHarness(options)
  configure(h, setup)
  return h
}

/** A configured page view showing the offer of its first check's answer (START seen). */
function showing(options: HarnessOptions = {}, setup: Partial<Setup> = {}) {
  const h = started(options, setup)
  h.answer('offer')
  const [[, offerId]] = h.take('startOffer') as [Effect]
  h.pv.offerStarted(offerId as number, { engagementId: 22 })
  h.take()
  return { h, offerId: offerId as number }
}

// ---- one request in flight; an aborted check sends nothing (sections 2, 4) ----

test.describe('one engagement request in flight', () => {
  test('20 getEngagement() calls in one task: one request; 19 settle as replaced, the last with the answer', () => {
    const h = started()
    h.take()
    for (let i = 0; i < 20; i++) h.getEngagement()
    h.settle()
    // The first check (configuration's) was replaced too, before its request left.
    expect(sent(h)).toHaveLength(1)
    h.answer('offer')
    expect(h.results.slice(0, 19).map((r) => r.error?.code)).toEqual(Array(19).fill('aborted'))
    expect(h.results[19]).toMatchObject({ status: 'Available', engagementDetails: { engagementId: 22, validForSeconds: 900 } })
  })

  for (const [stage, reach] of [
    ['while the ids are read', (_h: Harness) => {}],
    ['while its request is on the wire', (h: Harness) => h.settle()],
    ['during a retry pause', (h: Harness) => (h.settle(), h.answer('unavailable'))],
    ['while the catalog is read for its offer', (h: Harness) => (h.settle(), h.pv.answered([...h.wire.keys()][0]!, 201, JSON.stringify(ANSWERS.offer[1])))],
  ] as const) {
    test(`newPage ${stage}: the old check sends nothing more and shows nothing; the new page view's goes`, () => {
      const h = createHarness()
      h.pv.configure({ url: 'https://shop.example/p', sections: ['home'], granted: true, autoStart: true })
      reach(h)
      const before = h.take('send').length
      h.pv.newPage('https://shop.example/next', ['next'], [])
      h.settle()
      const after = sent(h)
      expect(after).toHaveLength(1)
      expect(after[0]!.check).toMatchObject({ url: 'https://shop.example/next', sections: ['next'] })
      expect(before).toBeLessThanOrEqual(1)
      h.answer('none')
      // Only the new page view's answer was announced; the old one's call was dropped.
      expect(h.effects.filter(([name, , event]) => name === 'publish' && event === 'ENGAGEMENT')).toHaveLength(1)
      expect(h.effects.filter(([name]) => name === 'startOffer')).toEqual([])
      expect(h.timers.size).toBe(0)
    })

    test(`consent(false) ${stage}: nothing is sent or stored after it, the ids are erased, the promise settles`, () => {
      const h = createHarness({ stored: { vid: 'old-v', sid: 'old-s', sub: 'old-sub' } })
      h.pv.configure({ url: 'https://shop.example/p', sections: [], granted: true, autoStart: true })
      const at = h.getEngagement()
      reach(h)
      h.take()
      h.pv.consent(false)
      h.runFor(200_000)
      const effects = h.take()
      expect(effects.filter(([name]) => name === 'send' || name === 'storeIds' || name === 'startOffer')).toEqual([])
      expect(effects.map(([name]) => name)).toContain('eraseIds')
      expect(h.results[at]).toBeDefined()
      expect(h.stored()).toBeUndefined()
    })
  }

  test('a stale answer (its call dropped) is ignored', () => {
    const h = started()
    h.settle()
    const [first] = sent(h)
    h.pv.newPage('https://shop.example/2', undefined, [])
    h.settle()
    sent(h)
    h.pv.answered(first!.id, 201, JSON.stringify(ANSWERS.offer[1]))
    h.settle()
    expect(names(h)).toEqual([])
  })
})

// ---- the retry policy (section 5) ----

test.describe('the retry policy', () => {
  test('5xx: four retries after exactly 3, 10, 30 and 90 s, then unavailable', () => {
    const h = started()
    h.settle()
    sent(h)
    const retries: unknown[] = []
    for (const pause of [3000, 10_000, 30_000, 90_000]) {
      h.answer('unavailable')
      retries.push(h.effects.find(([name, , event]) => name === 'publish' && event === 'RETRY')?.[3])
      h.runFor(pause - 1)
      expect(sent(h)).toEqual([])
      h.runFor(1)
      expect(sent(h)).toHaveLength(1)
    }
    expect(retries).toEqual([1, 2, 3, 4].map((attempt, i) => ({ attempt, delayMs: [3000, 10_000, 30_000, 90_000][i], status: 503 })))
    h.answer('unavailable')
    const effects = h.take()
    expect(effects.find(([name]) => name === 'error')?.[1]).toEqual({ code: 'unavailable', message: 'the Monitoring API is unavailable: no answer from the API after 5 attempts (last status 503)' })
    expect(effects.filter(([name, , event]) => name === 'publish' && event === 'ENGAGEMENT')).toHaveLength(1)
    h.runFor(1_000_000)
    expect(sent(h)).toEqual([])
  })

  test('"Loading account": the retry after 3 s carries the vid of the message', () => {
    const h = started({ stored: { vid: 'v0', sid: 's0', sub: 'u' } })
    h.settle()
    expect(sent(h)[0]).toMatchObject({ vid: 'v0', sid: 's0' })
    h.answer('loading')
    h.runFor(3000)
    expect(sent(h)[0]).toMatchObject({ vid: 'warm', sid: 's0' })
  })

  test('404/37: the stored vid and sid are forgotten and the request goes once more at once; a second 404/37 is final', () => {
    const h = started({ stored: { vid: 'v0', sid: 's0', sub: 'u' } })
    h.settle()
    sent(h)
    h.answer('forget')
    const effects = h.take()
    expect(effects.find(([name]) => name === 'storeIds')?.[1]).toEqual({ sub: 'u' })
    expect(effects.find(([name]) => name === 'send')?.[2]).toMatchObject({ vid: undefined, sid: undefined })
    h.answer('forget')
    expect(h.take('error')[0]?.[1]).toMatchObject({ code: 'rejected' })
  })

  test('any other 4xx: no retry; one error with the server\'s message', () => {
    const h = started()
    h.settle()
    sent(h)
    h.answer('refused')
    expect(h.take('error')).toEqual([['error', { code: 'rejected', message: 'the Monitoring API refused the engagement request: HTTP 400/5: bad' }]])
    h.runFor(1_000_000)
    expect(sent(h)).toEqual([])
  })

  test('an answer offering an engagement: ids stored, the catalog\'s validity asked for, then ENGAGEMENT and the offer', () => {
    const h = started({ catalogValidity: 60 })
    h.settle()
    h.take()
    h.answer('offer')
    const effects = h.take()
    expect(effects.map(([name]) => name)).toEqual(['storeIds', 'entry', 'publish', 'startOffer', 'arm'])
    expect(effects[3]![2]).toMatchObject({ status: "Available", engagementDetails: { validForSeconds: 60 } })
  })
})

// ---- consent (section 7) ----

test.describe('consent', () => {
  test('pending: no read, no request until consent(true); then the stored visitor goes on', () => {
    const h = createHarness({ stored: { vid: 'v0', sid: 's0', sub: 'u' } })
    configure(h, { granted: false })
    h.pv.push([SDE('before')])
    h.runFor(10_000)
    expect(names(h)).toEqual(['arm'])
    h.pv.consent(true)
    h.settle()
    expect(sent(h)).toEqual([expect.objectContaining({ vid: 'v0', check: expect.objectContaining({ sdes: [SDE('before')] }) })])
  })

  test('withdrawn before configuration: the stored ids are erased at once, and never come back', () => {
    const h = createHarness({ stored: { vid: 'v0', sid: 's0', sub: 'u' } })
    h.pv.consent(false)
    expect(names(h)).toEqual(['eraseIds'])
    configure(h)
    expect(sent(h)).toEqual([])
    h.pv.consent(true)
    h.settle()
    const [attempt] = sent(h)
    expect([attempt!.vid, attempt!.sid, attempt!.check?.sub]).toEqual([undefined, undefined, 'fresh-1'])
  })

  test('withdrawn while the ids are read: the read, answering after it, never brings them back', () => {
    const h = createHarness({ stored: { vid: 'v0', sid: 's0', sub: 'u' } })
    // The first read begins (its snapshot holds the stored ids), then consent goes and comes back.
    h.pv.configure({ url: 'https://shop.example/', sections: [], granted: true, autoStart: true })
    h.pv.consent(false)
    h.pv.consent(true)
    h.settle()
    const attempts = sent(h)
    expect(attempts.map((a) => [a.vid, a.check?.sub])).toEqual([[undefined, 'fresh-1']])
  })

  test('reports waiting to retry are not sent after consent(false)', () => {
    const { h, offerId } = showing()
    h.pv.report({ vid: 'v1', sid: 's1' }, [{ type: 'impDisplay' }])
    sent(h)
    h.answer('unavailable')
    h.pv.consent(false)
    h.runFor(200_000)
    expect(sent(h)).toEqual([])
    expect(offerId).toBeGreaterThan(0)
  })

  test('consent(true) while consent holds does not postpone the re-check', () => {
    const h = started({}, { refreshMs: 60_000 })
    h.answer('none')
    h.runFor(30_000)
    h.pv.consent(true)
    h.take()
    h.runFor(30_000)
    expect(sent(h)).toHaveLength(1)
  })
})

// ---- autoStart (section 1) ----

test('autoStart false: getEngagement() answers "held", start() sends the first check', () => {
  const h = createHarness()
  configure(h, { autoStart: false })
  const at = h.getEngagement()
  h.settle()
  expect(h.results[at]?.error?.code).toBe('held')
  expect(sent(h)).toEqual([])
  h.pv.start()
  h.settle()
  expect(sent(h)).toHaveLength(1)
})

// ---- SDE delivery within one round trip (sections 2 and 8) ----

test.describe('SDEs pushed after load', () => {
  test('no offer showing: a new check carries them; several pushes in one task, one request', () => {
    const h = started()
    h.answer('none')
    h.take()
    h.pv.push([SDE('a')])
    h.pv.push([SDE('b')])
    h.settle()
    const attempts = sent(h)
    expect(attempts.map(sdesOf)).toEqual([[SDE('a'), SDE('b')]])
  })

  test('an offer showing: with the Report method, in its session, at once', () => {
    const { h } = showing()
    h.pv.push([SDE('a')])
    h.settle()
    expect(sent(h)).toEqual([expect.objectContaining({ vid: 'v1', sid: 's1', report: { pageId: '100', engagementAttributes: [SDE('a')] } })])
  })

  test('an offer about to show (its answer in, not started yet): its session too, no new check', () => {
    const h = started()
    h.answer('offer')
    h.take()
    h.pv.push([SDE('a')])
    h.settle()
    expect(sent(h).map((a) => !!a.report)).toEqual([true])
  })

  test('pushed while a check is in flight: they go right after it, with the next request', () => {
    const h = started()
    h.settle()
    sent(h)
    h.pv.push([SDE('late')])
    h.settle()
    expect(sent(h)).toEqual([])
    h.answer('none')
    expect(sent(h).map(sdesOf)).toEqual([[SDE('late')]])
  })

  test('a request that carried them and got no answer leaves them to the next one; newPage never drops them', () => {
    const h = started()
    h.answer('none')
    h.pv.push([SDE('a')])
    h.settle()
    sent(h)
    for (let i = 0; i < 5; i++) {
      h.answer('unavailable')
      h.runFor(100_000)
    }
    h.take()
    h.pv.newPage('https://shop.example/2', undefined, [SDE('b')])
    h.settle()
    expect(sent(h).map(sdesOf)).toEqual([[SDE('a'), SDE('b')]])
    expect(h.pv.held()).toEqual([SDE('a'), SDE('b')])
  })

  test('send callbacks: true when delivered, false when refused, nothing while they wait', () => {
    const h = started()
    h.answer('none')
    const heard: unknown[] = []
    h.pv.push([SDE('a')], (delivered) => heard.push(delivered))
    h.settle()
    h.answer('unavailable')
    h.pv.newPage('https://shop.example/2', undefined, [])
    h.settle()
    expect(heard).toEqual([])
    h.answer('refused')
    expect(heard).toEqual([false])
    h.pv.push([SDE('b')], (delivered) => heard.push(delivered))
    h.settle()
    h.answer('none')
    expect(heard).toEqual([false, true])
  })

  test('BEFORE_SUBMIT_SDE decides what leaves; what the page holds is unchanged', () => {
    const { h } = showing({ beforeSubmit: (sdes) => sdes.filter((sde) => sde.keywords !== undefined && (sde.keywords as string[])[0] !== 'secret') })
    h.pv.push([SDE('secret'), SDE('ok')])
    h.settle()
    expect(sent(h).map(sdesOf)).toEqual([[SDE('ok')]])
    expect(h.pv.held()).toEqual([SDE('secret'), SDE('ok')])
  })

  test('a BEFORE_SUBMIT_SDE hook calling newPage: the replaced check sends nothing, its SDEs go with the new one', () => {
    let once = true
    const h = createHarness({
      beforeSubmit: (sdes) => {
        if (once && sdes.length) {
          once = false
          h.pv.newPage('https://shop.example/2', undefined, [])
        }
        return sdes
      },
    })
    h.pv.push([SDE('a')])
    configure(h)
    const attempts = sent(h)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]!.check?.url).toBe('https://shop.example/2')
    expect(sdesOf(attempts[0]!)).toEqual([SDE('a')])
  })
})

// ---- refresh on visible time (section 1, data-lp-refresh) ----

test.describe('refresh', () => {
  test('re-checks after 60 s of visible time; hidden pauses, shown again goes on with what was left', () => {
    const h = started({}, { refreshMs: 60_000 })
    h.answer('none')
    h.take()
    h.runFor(20_000)
    h.setHidden(true)
    h.pv.visibility(true)
    h.runFor(600_000)
    expect(sent(h)).toEqual([])
    h.setHidden(false)
    h.pv.visibility(false)
    h.runFor(39_999)
    expect(sent(h)).toEqual([])
    h.runFor(1)
    expect(sent(h)).toHaveLength(1)
  })

  test('the same engagement in the same session stays as it is; one no longer exposed is removed', () => {
    const { h } = showing({}, { refreshMs: 60_000 })
    h.runFor(60_000)
    h.answer('offer')
    expect(names(h)).not.toContain('startOffer')
    h.runFor(60_000)
    h.answer('none')
    expect(names(h)).toContain('endOffer')
  })

  test('an offer the visitor declined is not shown again by a re-check', () => {
    const { h, offerId } = showing({}, { refreshMs: 60_000 })
    h.pv.offerEnded(offerId, true)
    h.runFor(60_000)
    h.answer('offer')
    expect(names(h)).not.toContain('startOffer')
  })

  test('hidden without the page view hearing of it: the timer waits until shown', () => {
    const h = started({}, { refreshMs: 60_000 })
    h.answer('none')
    h.take()
    h.setHidden(true)
    h.runFor(60_000)
    expect(sent(h)).toEqual([])
    h.setHidden(false)
    h.pv.visibility(false)
    h.runFor(1)
    expect(sent(h)).toHaveLength(1)
  })

  test('consent(false) stops it; consent(true) starts it again', () => {
    const h = started({}, { refreshMs: 60_000 })
    h.answer('none')
    h.take()
    h.pv.consent(false)
    h.runFor(120_000)
    expect(sent(h)).toEqual([])
    h.pv.consent(true)
    h.runFor(60_000)
    expect(sent(h)).toHaveLength(1)
  })

  test('the API down after the retry policy: the offer stays, the next round tries again', () => {
    const { h } = showing({}, { refreshMs: 60_000 })
    h.runFor(60_000)
    for (let i = 0; i < 5; i++) {
      h.answer('unavailable')
      h.runFor(100_000)
    }
    expect(names(h)).not.toContain('endOffer')
    expect(h.pv.offer()).toBeDefined()
  })
})

// ---- newPage before configuration, and listeners calling back in ----

test('newPage before configuration: the first check is for that page', () => {
  const h = createHarness()
  h.pv.newPage('https://shop.example/route', ['route'], [])
  configure(h)
  expect(sent(h).map((a) => [a.check?.url, a.check?.sections])).toEqual([['https://shop.example/route', ['route']]])
})

test('consent(false) from an ENGAGEMENT listener: no offer; the result still reaches the page', () => {
  const h = createHarness({ onEffect: ([name, , event], pv) => void (name === 'publish' && event === 'ENGAGEMENT' && pv.consent(false)) })
  configure(h)
  const at = h.getEngagement()
  h.settle()
  h.answer('offer')
  expect(names(h)).not.toContain('startOffer')
  expect(h.results[at]?.status).toBe('Available')
})

test('newPage from an ENGAGEMENT listener (or onEngagement): only the new page view\'s offer starts', () => {
  let once = true
  const h = createHarness({
    onEffect: ([name, , event], pv) => {
      if (name !== 'publish' || event !== 'ENGAGEMENT' || !once) return
      once = false
      pv.newPage('https://shop.example/2', undefined, [])
    },
  })
  configure(h)
  h.answer('offer')
  expect(names(h).filter((name) => name === 'startOffer')).toEqual([])
  h.answer('offer')
  expect(h.take('startOffer')).toHaveLength(1)
})

test('a wrong configuration: every getEngagement() settles with its error, before and after', () => {
  const h = createHarness()
  const before = h.getEngagement()
  const error = { status: 'NotAvailable' as const, error: { code: 'config', message: 'x' } }
  h.pv.configure(error)
  const after = h.getEngagement()
  expect([h.results[before], h.results[after]]).toEqual([error, error])
  expect(names(h)).toEqual([])
})

test('rendererStub\'s view: the offer slot from START to its end', () => {
  const { h, offerId } = showing()
  expect(h.pv.offer()).toMatchObject({ data_: { engagementId: 22 } })
  h.pv.offerEnded(offerId, true)
  expect(h.pv.offer()).toBeUndefined()
})

// ---- properties: random sequences of intents ----

const INTENT = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('getEngagement' as const) }) },
  fc.record({ kind: fc.constant('consent' as const), granted: fc.boolean() }),
  fc.record({ kind: fc.constant('newPage' as const) }),
  fc.record({ kind: fc.constant('start' as const) }),
  fc.record({ kind: fc.constant('push' as const), keyword: fc.constantFrom('a', 'b') }),
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('answer' as const), answer: fc.constantFrom<AnswerName>('offer', 'offer', 'otherOffer', 'none', 'conversation', 'unavailable', 'loading', 'forget', 'refused') }),
  },
  fc.record({ kind: fc.constant('time' as const), ms: fc.constantFrom(1000, 3000, 10_000, 60_000) }),
  fc.record({ kind: fc.constant('visibility' as const), hidden: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offer' as const), step: fc.constantFrom('started', 'accepted', 'removed') }) },
)
/** An intent, and whether the task it ran in ends after it (the end-of-task work runs then). */
const INTENTS = fc.tuple(INTENT, fc.boolean())

/** How often the random runs met what the property is about: a property that never meets it proves nothing. */
const met = { offers: 0, erasures: 0, offersReplaced: 0 }

test('property: never two requests in flight, nothing sent or stored after consent(false), erased ids never return, every getEngagement() settles, at most one offer', () => {
  fc.assert(
    fc.property(fc.constantFrom(true, true, true, false), fc.constantFrom(true, true, true, false), fc.array(INTENTS, { minLength: 10, maxLength: 60, size: "max" }), (granted, autoStart, intents) => {
      let consent = granted
      let offers = 0
      const erased = new Set<string>()
      const known = new Set(['stored-v', 'stored-s'])
      const h = createHarness({
        uniqueIds: true,
        stored: { vid: 'stored-v', sid: 'stored-s', sub: 'stored-sub' },
        onEffect: ([name, first, second]) => {
          const attempt = second as Sent
          if (name === 'send' && !consent) throw new Error('sent without consent')
          if (name === 'storeIds' && !consent) throw new Error('stored without consent')
          if (name === 'send') {
            const { vid, sid } = attempt
            if ((vid && erased.has(vid)) || (sid && erased.has(sid))) throw new Error(`erased ids came back: ${vid} ${sid}`)
          }
          if (name === 'storeIds') for (const id of [(first as Ids).vid, (first as Ids).sid]) if (id) known.add(id)
          if (name === 'eraseIds') for (const id of known) erased.add(id)
          if (name === 'startOffer') met.offers++
          if (name === 'startOffer' && ++offers > 1) throw new Error('two offers at once')
          if (name === 'eraseIds') met.erasures++
          if (name === 'endOffer' && offers) {
            met.offersReplaced++
            offers = 0
          }
        },
      })
      h.pv.configure({ url: 'https://shop.example/', sections: [], granted, autoStart })
      let offerId = 0
      for (const [intent, taskEnds] of intents) {
        if (intent.kind === 'getEngagement') h.getEngagement()
        if (intent.kind === 'consent') {
          consent = intent.granted
          h.pv.consent(intent.granted)
        }
        if (intent.kind === 'newPage') h.pv.newPage('https://shop.example/next', undefined, [])
        if (intent.kind === 'start') h.pv.start()
        if (intent.kind === 'push') h.pv.push([SDE(intent.keyword)])
        if (intent.kind === 'answer' && h.wire.size) h.answer(intent.answer)
        if (intent.kind === 'time') h.runFor(intent.ms)
        if (intent.kind === 'visibility') {
          h.setHidden(intent.hidden)
          h.pv.visibility(intent.hidden)
        }
        const started = h.effects.filter(([name]) => name === 'startOffer').at(-1)
        if (started) offerId = started[1] as number
        if (intent.kind === 'offer' && offerId) {
          if (intent.step === 'started') h.pv.offerStarted(offerId, {})
          if (intent.step === 'accepted' || intent.step === 'removed') {
            h.pv.offerEnded(offerId, intent.step === 'accepted')
            offers = 0
          }
        }
        if (taskEnds) h.settle()
        if (h.checksOnWire() > 1) throw new Error('two requests in flight')
      }
      // Whatever happened, every promise settles once the API answers and time runs.
      for (let round = 0; round < 10 && h.results.includes(undefined as never); round++) {
        if (h.wire.size) h.answer('none')
        h.runFor(100_000)
      }
      // (A count: toEqual would take [undefined] for [].)
      if (h.results.some((result) => result === undefined)) throw new Error(`unsettled getEngagement(): ${h.results.filter((result) => result === undefined).length}`)
    }),
    { numRuns: 3000 },
  )
  expect(met.offers).toBeGreaterThan(2000)
  expect(met.erasures).toBeGreaterThan(500)
  expect(met.offersReplaced).toBeGreaterThan(500)
})
