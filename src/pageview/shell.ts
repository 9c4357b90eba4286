/**
 * The browser shell: performs the page view's effects (`Effects`) with the page's `fetch`,
 * IndexedDB, timers and the event bus, and turns what comes back into intents. Thin on purpose:
 * every decision is the page view's.
 */
import type { Hooks } from '../compat/hooks.ts'
import type { TagConfig } from '../config/resolve.ts'
import { reportError, type Bus } from '../events/bus.ts'
import { createIdStore, eraseStored, type IdStore } from '../identity/visitor.ts'
import type { Chunks } from '../lib/scripts.ts'
import { copy, own } from '../lib/checks.ts'
import { logAnswer, note } from '../lib/log.ts'
import { pageHidden, pageLanguage } from '../lib/page.ts'
import { attempt } from '../monitoring/attempt.ts'
import { clientProperties } from '../monitoring/client.ts'
import { engagementBody, methodUrl } from '../monitoring/request.ts'
import type { Lifecycle } from '../offer/context.ts'
import { beforeSubmit } from '../sdes/hook.ts'
import type { Identity } from '../types.ts'
import { answered, consented, entry, fire, idsRead, offerEnded, offerStarted, report, type Attempt, type Effects, type State } from './machine.ts'

declare const __VERSION__: string
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'

export interface Shell {
  fx_: Effects
  /** The page view, once made with `fx_`. */
  pv_?: State
  config_?: TagConfig
  store_?: IdStore
  /** The offer chunk's lifecycle, made once it is loaded. */
  lifecycle_?: Lifecycle
}

/**
 * The shell of a page view made right after it (`shell.pv_ = createPageView(shell.fx_)`).
 * `catalog`: `lpTag.engagements` from the pre-load object.
 */
export function createShell(lpTag: object, bus: Bus, hooks: Hooks, identities: () => Identity[], chunks: Chunks, catalog: unknown): Shell {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const wire = new Map<number, AbortController>()
  let made: Promise<Lifecycle | undefined> | undefined
  const publish = bus.publish_
  const shell: Shell = { fx_: undefined as unknown as Effects }
  const pv = () => shell.pv_!

  /** The offer chunk's lifecycle, made once, with what it needs of the tag. */
  const lifecycle = () =>
    (made ??= chunks.offer_().then((create) => {
      const page = {
        offerStarted_: (id: number, data: object) => offerStarted(pv(), id, data),
        offerEnded_: (id: number, byVisitor?: boolean) => offerEnded(pv(), id, byVisitor),
        report_: (...args: [never, never, never?]) => report(pv(), ...args),
        consented_: () => consented(pv()),
      }
      if (create) return (shell.lifecycle_ = create({ config_: shell.config_!, catalog_: catalog, bus_: bus, hooks_: hooks, page_: page, ui_: chunks.ui_ }))
      made = undefined
      return
    }))

  shell.fx_ = {
    now_: () => Date.now(),
    hidden_: pageHidden,
    readIds_: (era) => void shell.store_!.read_().then(([stored, fresh]) => idsRead(pv(), era, stored, fresh)),
    storeIds_: (ids) => shell.store_!.write_(ids),
    eraseIds_() {
      shell.store_?.forget_()
      eraseStored()
    },
    send_: (id, call) => send(shell, wire, identities, id, call),
    abort_(id) {
      wire.get(id)?.abort()
      wire.delete(id)
    },
    arm_(name, ms) {
      shell.fx_.disarm_(name)
      if (!ms) return queueMicrotask(() => fire(pv(), name))
      timers.set(
        name,
        setTimeout(() => fire(pv(), name), ms),
      )
    },
    disarm_(name) {
      clearTimeout(timers.get(name))
      timers.delete(name)
    },
    publish_(appName, eventName, data) {
      const delay = own(data, 'delayMs')
      if (eventName === 'RETRY') note({ retry: own(data, 'attempt'), delayMs: delay, fireAt: Date.now() + delay })
      publish(appName, eventName, data)
      if (eventName === 'ENGAGEMENT')
        try {
          own(lpTag, 'onEngagement')?.(copy(data))
        } catch (error) {
          console.error('[lpTag] lpTag.onEngagement threw', error)
        }
    },
    settle_: (done, result) => done(copy(result)),
    beforeSubmit_: (sdes) => beforeSubmit(hooks, sdes),
    entry_: (check, engagementId) => void lifecycle().then((life) => life?.validity_(engagementId)).then((seconds) => entry(pv(), check, seconds)),
    startOffer_: (id, result) => void lifecycle().then((life) => life?.start_(id, result)),
    endOffer_: () => shell.lifecycle_?.end_(),
    // The chunks, and the catalog with them: both there by the time the answer comes.
    prefetch_: () => (chunks.prefetch_(shell.config_!.render === 'auto'), void lifecycle()),
    error_: (error) => reportError(publish, error),
  }
  return shell
}

/** Sends one attempt of call `id` (contract section 4): its answer goes to the page view. */
function send(shell: Shell, wire: Map<number, AbortController>, identities: () => Identity[], id: number, call: Attempt) {
  const config = shell.config_!
  const report = !!call.report_
  const url = methodUrl(config, report ? 'report' : 'engagement', call.vid_, call.sid_)
  const check = call.check_!
  let body = ''
  try {
    body = JSON.stringify(
      call.report_ ??
        engagementBody({
          iss: `${config.host}/${config.account}`,
          sub: check.sub_,
          identities: identities(),
          client: { ...clientProperties(navigator.userAgent, navigator.maxTouchPoints || 0, VERSION), ...check.appDetails_ },
          pageUrl: check.url_,
          lang: pageLanguage(),
          sections: check.sections_,
          entryPoints: config.entryPoints,
          sdes: check.sdes_,
        }),
    )
  } catch {}
  const controller = new AbortController()
  const at = Date.now()
  wire.set(id, controller)
  // A page that broke what the request is made of (a throwing getter) gets an attempt with no
  // answer, retried as any other, never an exception in the caller of getEngagement().
  void (body ? attempt(url, body, report, controller.signal) : Promise.resolve<[number, string]>([0, ''])).then(([status, text]) => {
    logAnswer(url, status, Date.now() - at, text)
    if (wire.get(id) !== controller) return
    wire.delete(id)
    answered(shell.pv_!, id, status, text)
  })
}

/** Reads the stored ids of `origin` and `account` (ahead, before configuration, when the script gave consent). */
export function useStore(shell: Shell, origin: string, account: string): IdStore {
  const key = `${origin}|${account}`
  return shell.store_?.key_ === key ? shell.store_ : (shell.store_ = createIdStore(key))
}
