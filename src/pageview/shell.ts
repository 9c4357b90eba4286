/**
 * The browser shell: performs the page view's effects (`Effects`) with the page's `fetch`,
 * IndexedDB, timers and the event bus, and turns what comes back into intents. Thin on purpose:
 * every decision is the page view's.
 */
import type { Hooks } from '../compat/hooks.ts'
import type { TagConfig } from '../config/resolve.ts'
import { reportError, type Bus } from '../events/bus.ts'
import { createIdStore, eraseStored, type IdStore } from '../identity/visitor.ts'
import type { Chunks } from '../lib/chunks.ts'
import { copy, own } from '../lib/checks.ts'
import { note } from '../lib/log.ts'
import { pageHidden, pageLanguage } from '../lib/page.ts'
import { attempt } from '../monitoring/attempt.ts'
import { clientProperties } from '../monitoring/client.ts'
import { engagementBody, methodUrl } from '../monitoring/request.ts'
import type { Lifecycle, OfferContext } from '../offer/context.ts'
import { beforeSubmit } from '../sdes/hook.ts'
import type { Identity } from '../types.ts'
import type { PageView } from './machine.ts'
import type { CheckBody, Effects } from './state.ts'

declare const __VERSION__: string
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'

export interface ShellDeps {
  lpTag: object
  events: OfferContext['events']
  publish: Bus['publish']
  hooks: Hooks
  identities(): Identity[]
  chunks: Chunks
  /** `lpTag.engagements` from the pre-load object. */
  catalog: unknown
}

export type Shell = ReturnType<typeof createShell>

/** The shell, for a page view made right after it (`bind`). */
export function createShell(deps: ShellDeps) {
  let pv!: PageView
  let config!: TagConfig
  let store: IdStore | undefined
  let lifecycle: Promise<Lifecycle | undefined> | undefined
  let running: Lifecycle | undefined
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const wire = new Map<number, AbortController>()
  const { publish } = deps

  /** The offer chunk's lifecycle, made once, with what it needs of the tag. */
  const offer = () =>
    (lifecycle ??= deps.chunks.offer().then((create) => {
      if (!create) return (lifecycle = undefined)
      const context: OfferContext = { config, catalog: deps.catalog, events: deps.events, publish, hooks: deps.hooks, page: pv, ui: deps.chunks.ui }
      return (running = create(context))
    }))

  const fx: Effects = {
    now: () => Date.now(),
    hidden: pageHidden,
    readIds: (era) => void store!.read().then(([stored, fresh]) => pv.idsRead(era, stored, fresh)),
    storeIds: (ids) => store!.write(ids),
    eraseIds() {
      store?.forget()
      eraseStored()
    },
    send(id, call) {
      const report = !!call.report
      const url = methodUrl(config, report ? 'report' : 'engagement', call.vid, call.sid)
      const body = report ? call.report : checkBody(config, call.check!, deps.identities())
      const controller = new AbortController()
      const at = Date.now()
      wire.set(id, controller)
      void attempt(url, JSON.stringify(body), report, controller.signal).then(([status, text]) => {
        note({ url, status, ms: Date.now() - at, text: text.slice(0, 2000) })
        if (wire.get(id) !== controller) return
        wire.delete(id)
        pv.answered(id, status, text)
      })
    },
    abort(id) {
      wire.get(id)?.abort()
      wire.delete(id)
    },
    arm(name, ms) {
      fx.disarm(name)
      if (!ms) return queueMicrotask(() => pv.fire(name))
      timers.set(
        name,
        setTimeout(() => (timers.delete(name), pv.fire(name)), ms),
      )
    },
    disarm(name) {
      clearTimeout(timers.get(name))
      timers.delete(name)
    },
    publish(appName, eventName, data) {
      if (eventName === 'RETRY') note({ retry: (data as { attempt: number }).attempt, delayMs: (data as { delayMs: number }).delayMs, fireAt: Date.now() + (data as { delayMs: number }).delayMs })
      publish(appName, eventName, data)
    },
    onEngagement(result) {
      try {
        own(deps.lpTag, 'onEngagement')?.(copy(result))
      } catch (error) {
        console.error('[lpTag] lpTag.onEngagement threw', error)
      }
    },
    settle: (done, result) => done(copy(result)),
    beforeSubmit: (sdes) => beforeSubmit(deps.hooks, sdes),
    entry: (check, engagementId) => void offer().then((life) => life?.validity(engagementId).then((seconds) => pv.entry(check, seconds)) ?? pv.entry(check)),
    startOffer: (id, result) => void offer().then((life) => life?.start(id, result)),
    endOffer: () => running?.end(),
    // The chunks, and the catalog with them: both there by the time the answer comes.
    prefetch: () => (deps.chunks.prefetch(config.render === 'auto'), void offer()),
    error: (error) => reportError(publish, error),
  }

  return {
    fx,
    bind: (pageView: PageView) => void (pv = pageView),
    /** Reads the stored ids of `origin` and `account` ahead, before configuration (the script gave consent). */
    readEarly: (origin: string, account: string) => void (store = createIdStore(origin, account)).read(),
    /** The configuration is known: where the ids are kept (the store read early, when it is the same). */
    configure(resolved: TagConfig) {
      config = resolved
      if (store?.key !== `${resolved.origin}|${resolved.account}`) store = createIdStore(resolved.origin, resolved.account)
    },
    /** The offer showing, for `rendererStub.click`. */
    lifecycle: () => running,
    /** Where the ids live now, for the debug panel. */
    where: () => (store && pv.consented() ? store.where() : 'memory'),
  }
}

/** The engagement request's body (contract section 4). */
function checkBody(config: TagConfig, check: CheckBody, identities: Identity[]) {
  return engagementBody({
    iss: `${config.host}/${config.account}`,
    sub: check.sub,
    identities,
    client: { ...clientProperties(navigator.userAgent, navigator.maxTouchPoints || 0, VERSION), ...check.appDetails },
    pageUrl: check.url,
    lang: pageLanguage(),
    sections: check.sections,
    entryPoints: config.entryPoints,
    sdes: check.sdes,
  })
}
