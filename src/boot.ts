import { createBus } from './bus.ts'
import { debugLog } from './debuglog.ts'
import { asArray, dict, hasOwn, isPlainObject, own, strings } from './checks.ts'
import { besideScript, copyPreload, readRawConfig, runningScript } from './config/read.ts'
import { resolveConfig } from './config/resolve.ts'
import { checkEngagement, consented, notAvailable, reportError, VERSION, type Tag } from './engagement.ts'
import { documentMember } from './document.ts'
import { createIdentities } from './identities.ts'
import { createIdentityStore, eraseStored } from './identity.ts'
import { sendReport } from './monitoring/report.ts'
import { loadCatalog, type Catalog } from './offer/catalog.ts'
import { mirrorToDataLayer } from './offer/datalayer.ts'
import { removeOffer, startOffer } from './offer/lifecycle.ts'
import { createSdeStore, pageSdes } from './sdes/store.ts'
import { followHistory } from './spa.ts'
import { explainBlockedApi } from './monitoring/csp.ts'
import type { EngagementResult, LpTag } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

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
  const preload = copyPreload(found)
  const queued = { sdes: asArray(own(lpTag, 'sdes')), identities: asArray(own(lpTag, 'identities')), events: asArray(own(lpTag, 'events')) }

  const { events: bus, publish } = createBus()
  const identities = createIdentities()
  let tag: Tag | undefined
  let started = false
  let loading = false
  let consentGiven: boolean | undefined
  let configError: EngagementResult
  let configured: (tag: Tag | undefined) => void
  let policy: { createScriptURL(url: string): unknown } | undefined
  const whenConfigured = new Promise<Tag | undefined>((resolve) => (configured = resolve))
  // SDEs sent while an offer shows go to its session with the Report method; otherwise they may
  // make the visitor eligible, so they come with a fresh engagement check.
  const sdes = createSdeStore(publish, (sent) => {
    if (!tag || !consented(tag)) return
    if (tag.current) sendReport(tag.config, tag.current.session, sent, tag.grant.signal)
    else void checkEngagement(tag)
  })

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
    getEngagement: (request) => whenConfigured.then((ready) => (ready ? checkEngagement(ready, request) : configError)),
    consent(granted) {
      consentGiven = granted === true
      // Withdrawn before the tag is configured (the document not parsed yet): what an earlier
      // visit stored goes all the same.
      if (!tag) return void (consentGiven || eraseStored())
      if (consentGiven) {
        if (!consented(tag)) tag.grant = new AbortController()
        if (!started) start()
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
      if (!tag) return
      tag.inflight?.abort()
      removeOffer(tag)
      let href = location.href
      try {
        href = new URL(url, href).href
      } catch {}
      tag.page = {
        url: href,
        sections: strings(own(options, 'section')) ?? tag.config.sections,
      }
      tag.sdes.reset(asArray(own(options, 'sdes')))
      if (consented(tag)) void checkEngagement(tag)
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
  for (const [name, member] of Object.entries(api))
    try {
      lpTag[name] = member
    } catch {}

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
    identities.push(...(queued.identities as never[]))
    sdes.push(...(queued.sdes as never[]))
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
    sdes.push(...(pageSdes() as never[]))
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
      page: { url: location.href, sections: config.sections },
      grant: (consentGiven ?? config.consent === 'granted') ? new AbortController() : withheld(),
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
    if (consented(current)) start()
    if (config.debug) api.debug!()
  }

  function start() {
    started = true
    void checkEngagement(tag!)
  }
}
