import { createBus } from './bus.ts'
import { debugLog } from './debuglog.ts'
import { asArray, dict, hasOwn, isPlainObject, own, put } from './checks.ts'
import { besideScript, copyPreload, readRawConfig, runningScript } from './config/read.ts'
import { resolveConfig, sectionsOf } from './config/resolve.ts'
import { checkEngagement, checking, consented, notAvailable, reportError, VERSION, type Tag } from './engagement.ts'
import { documentMember } from './document.ts'
import { createIdentities } from './identities.ts'
import { createIdentityStore, eraseStored } from './identity.ts'
import { loadCatalog, type Catalog } from './offer/catalog.ts'
import { mirrorToDataLayer } from './offer/datalayer.ts'
import { removeOffer, startOffer } from './offer/lifecycle.ts'
import { createSdeStore, pageSdes } from './sdes/store.ts'
import { deliverSdes } from './sdes/delivery.ts'
import { createHooks } from './hooks.ts'
import { adoptSnippet } from './snippet.ts'
import { rendererStub } from './trigger.ts'
import { followHistory } from './spa.ts'
import { explainBlockedApi } from './monitoring/csp.ts'
import type { EngagementResult, LpTag } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

/**
 * A new page view's sections: as `newPage` gave them (an array or a comma-separated string), else
 * the page view's before; an invalid value is warned about and the sections before are kept.
 */
function pageSections(section: unknown, before: string[]): string[] {
  const sections = section === undefined ? before : sectionsOf(section)
  if (!sections) console.warn('[lpTag] newPage section ignored: comma-separated or an array, each 1-100 chars, no control characters')
  return sections ?? before
}

/** An aborted controller: consent not given (yet). */
const withheld = () => {
  const controller = new AbortController()
  controller.abort()
  return controller
}

/**
 * Starts the tag once per page: keeps and extends an existing `window.lpTag`, replays what was
 * queued on it before load, resolves the configuration and runs the first engagement check.
 */
export function boot(): void {
  const w = window as unknown as { lpTag?: unknown }
  // The page's own pre-load object only: an element with id or name "lpTag" in page content is a
  // `window` property too (named access), and must neither pass for it nor keep the API from the page.
  const found = hasOwn(w, 'lpTag') && isPlainObject(w.lpTag) ? (w.lpTag as Global) : undefined
  // A second copy (pasted twice, GTM firing twice, a bookmarklet) leaves the first one in charge.
  // With `data-lp-debug` on its own script (the bookmarklet), it opens the running tag's panel.
  const running = runningScript(document)
  if (own(found, 'loaded') === true) return void (running?.hasAttribute('data-lp-debug') && own(found, 'debug')?.())
  const lpTag: Global = found ?? {}
  w.lpTag = lpTag

  // Read now: `currentScript` is only set while this script runs, and the pre-load object is about
  // to be extended with the tag's own members. The panel's URL is fixed now too, from the running
  // script alone: never from the page's URL, a later `<base>` or an element the page could fake.
  const debugUrl = besideScript(running, 'debug.js')
  let preload = copyPreload(found)
  const queued = { sdes: asArray(own(lpTag, 'sdes')), identities: asArray(own(lpTag, 'identities')), events: asArray(own(lpTag, 'events')) }

  const { events: bus, publish } = createBus()
  const identities = createIdentities()
  const hooks = createHooks(asArray(own(lpTag, 'hooks')))
  // LivePerson's standard snippet ran first: its stub's queues, kept to replay once the API is in.
  const snippet = adoptSnippet(lpTag)
  let tag: Tag | undefined
  // A newPage called before the document was parsed: the page view the first check is for.
  let pageAsked: { url: string; section: unknown } | undefined
  let startAsked = false
  let loading = false
  let flushing = false
  let consentGiven: boolean | undefined
  let configError: EngagementResult
  let configured: (tag: Tag | undefined) => void
  let policy: { createScriptURL(url: string): unknown } | undefined
  const whenConfigured = new Promise<Tag | undefined>((resolve) => (configured = resolve))
  // SDEs pushed or sent after load: delivered at the end of the task that pushed them, together.
  const flush = () => {
    if (flushing) return
    flushing = true
    void Promise.resolve().then(() => {
      flushing = false
      try {
        if (tag) deliverSdes(tag)
      } catch (error) {
        console.error('[lpTag] SDEs could not be sent', error)
      }
    })
  }
  const sdes = createSdeStore(publish, flush)
  /**
   * The page view's check, once configured, consented and started, unless one runs or already got
   * its answer (consent withdrawn mid-check and given again resumes it); then what SDEs wait, go.
   */
  const resume = () => {
    if (!tag || tag.answered || checking(tag) || !consented(tag) || !tag.started) return tag?.flush()
    void checkEngagement(tag)
  }
  // LivePerson's Engagement Trigger API, in the page's own `taglets` object when it has one.
  const taglets = own(lpTag, 'taglets')
  const stub = rendererStub(() => tag?.current)
  if (isPlainObject(taglets)) put(taglets, 'rendererStub', stub)
  else put(lpTag, 'taglets', { rendererStub: stub })

  // The debug panel's view of the tag (internal, not in the public types); the panel adds `show`.
  const port: { show?: () => void; [k: string]: unknown } = {
    log: debugLog,
    ids: async () => tag && { ...(await tag.ids.load()), where: tag.ids.where() },
    forget: () => tag?.ids.clear(),
  }
  const api: Partial<LpTag> = {
    events: bus,
    sdes,
    identities,
    loaded: true,
    version: VERSION,
    hooks,
    getEngagement: (request) => whenConfigured.then((ready) => (ready ? checkEngagement(ready, request) : configError)),
    start() {
      startAsked = true
      if (tag) tag.started = true
      resume()
    },
    consent(granted) {
      consentGiven = granted === true
      // Withdrawn before the tag is configured (the document not parsed yet): what an earlier
      // visit stored goes all the same.
      if (!tag) return void (consentGiven || eraseStored())
      if (consentGiven) {
        if (!consented(tag)) tag.grant = new AbortController()
        resume()
      } else {
        // Everything that could still send or store stops first: the request in flight, reports
        // waiting to retry, the stored ids; then the offer goes (its listeners run page code).
        tag.grant.abort()
        tag.inflight?.abort()
        tag.ids.clear()
        removeOffer(tag)
      }
    },
    newPage(url, options) {
      let href = location.href
      try {
        if (typeof url == 'string') href = new URL(url, href).href
      } catch {}
      // `taglets` and any other option LivePerson's tag knows are not this tag's: left alone.
      const section = own(options, 'section')
      // What no request carried yet stays: a purchase pushed just before navigating still goes.
      sdes.reset(asArray(own(options, 'sdes')))
      // Before the document is parsed (a router's first route): the first check is for this page.
      if (!tag) return void (pageAsked = { url: href, section })
      tag.inflight?.abort()
      removeOffer(tag)
      tag.page = { url: href, sections: pageSections(section, tag.page.sections) }
      tag.answered = false
      resume()
    },
    debug() {
      // A second call (the bookmarklet clicked again) shows the panel if it was closed; a panel
      // the page took out of the DOM is loaded again.
      if (port.show) return port.show()
      const src = debugUrl
      if (!src) return console.error('[lpTag] the debug panel cannot load: tag.js must come from a <script> with an absolute src')
      if (loading) return
      loading = true
      const fail = (why: unknown) => {
        // A later call may try again (the network came back, the CSP was fixed).
        loading = false
        console.error(`[lpTag] the debug panel could not load (${why}): the CSP needs script-src ${new URL(src).origin} and trusted-types lp-tag`)
      }
      try {
        const el = document.createElement('script')
        const tt = (window as { trustedTypes?: { createPolicy?(name: string, rules: object): { createScriptURL(url: string): string } } }).trustedTypes
        // The only script URL the tag ever sets, through a policy made once and nowhere else; its
        // rules have no prototype, so a polluted `createHTML` cannot widen it.
        policy ??= tt?.createPolicy?.('lp-tag', dict({ createScriptURL: (url: string) => (url === src ? url : '') }))
        el.src = policy ? (policy.createScriptURL(src) as string) : src
        el.referrerPolicy = 'strict-origin'
        el.onload = () => (loading = false)
        el.onerror = () => (el.remove(), fail('blocked or not found'))
        documentMember('head')!.append(el)
      } catch (error) {
        fail(error)
      }
    },
  }
  // Member by member: a page's getter-only property (a stub's `sdes`) costs that member, not the rest.
  for (const [name, member] of Object.entries(api)) put(lpTag, name, member)

  // From here on, whatever the page did to what start-up touches (a sealed pre-load object, a
  // throwing queued SDE, a clobbered `document.addEventListener`), every getEngagement() promise
  // settles: with the configured tag, or with an "internal" error.
  try {
    // The debug panel's view of the tag: internal, not enumerable, not in the public types.
    Object.defineProperty(lpTag, '_debugPort', dict({ value: port }))
    for (const args of queued.events) {
      if (Array.isArray(args)) bus.bind(...(args as [string, string, () => void]))
      else bus.bind(args as never)
    }
    snippet.binds()
    identities.push(...(queued.identities as never[]))
    sdes.push(...(queued.sdes as never[]))
    snippet.rest()
    // Page elements (a configuration element, `data-lp-section` anywhere) may come after an early
    // async script: read them once the document is parsed.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', configureSafely, dict({ once: true }))
    else configure()
  } catch (error) {
    failed(error)
  }

  function failed(error: unknown) {
    const failure = { code: 'internal', message: `the tag failed to start: ${error}` }
    reportError(publish, failure)
    configError = notAvailable(failure)
    configured(undefined)
  }

  function configureSafely() {
    try {
      configure()
    } catch (error) {
      failed(error)
    }
  }

  function configure() {
    // Scripts written for LivePerson's tag poll `isDom` or listen for LPT/DOM_READY, which its
    // snippet announces (and does not again once `isDom` is set).
    if (!own(lpTag, 'isDom')) put(lpTag, 'isDom', true), bus.trigger('LPT', 'DOM_READY', { t: 'contReady' })
    sdes.push(...(pageSdes() as never[]))
    // `lpTag.section` set by the page after a synchronous tag, as LivePerson's tag reads it late.
    const section = own(lpTag, 'section')
    if (section !== undefined) put((preload ??= {}), 'section', section)
    const resolved = resolveConfig(readRawConfig(document, running, preload))
    for (const warning of resolved.warnings) console.warn(warning)
    if (!resolved.config) {
      const message = resolved.problems.map((p) => p.message).join('; ')
      for (const problem of resolved.problems) console.error(problem.message)
      configError = notAvailable({ code: 'config', message })
      publish('LP_TAG', 'ERROR', configError.error)
      configured(undefined)
      // The panel explains the error: asked for by the script or the pre-load object.
      if (running?.hasAttribute('data-lp-debug') || own(preload, 'debug')) api.debug!()
      return
    }
    const config = resolved.config
    publish('LP_TAG', 'READY', { config, sources: resolved.sources })

    let catalog: Promise<Catalog> | undefined
    const current: Tag = {
      config,
      publish,
      sdes,
      identities,
      lpTag,
      page: { url: pageAsked?.url ?? location.href, sections: pageSections(pageAsked?.section, config.sections) },
      grant: (consentGiven ?? config.consent === 'granted') ? new AbortController() : withheld(),
      // `autoStart: false` on the pre-load object (or LivePerson's stub) holds the first check.
      started: startAsked || own(preload, 'autoStart') !== false,
      hooks,
      flush,
      ids: createIdentityStore(config.origin, config.account, () => consented(current)),
      // Loaded with the first engagement check, not before: with consent pending nothing is fetched.
      catalog: () => (catalog ??= loadCatalog(config.engagements, own(preload, 'engagements'))),
      offer: (result, look, signal) => startOffer(current, result, look, signal),
    }
    tag = current
    configured(current)
    explainBlockedApi(config.origin)
    if (config.dataLayer) mirrorToDataLayer(bus)
    if (config.spa === 'history') followHistory((url) => api.newPage!(url))
    resume()
    if (config.debug) api.debug!()
  }
}
