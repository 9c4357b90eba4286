import { pageApi, pageSections, recheck, resume, type Startup } from './api.ts'
import { createHooks } from './compat/hooks.ts'
import { adoptSnippet } from './compat/snippet.ts'
import { rendererStub } from './compat/trigger.ts'
import { copyPreload, readRawConfig } from './config/read.ts'
import { resolveConfig, type ResolvedConfig, type TagConfig } from './config/resolve.ts'
import { debugOpener, type DebugPort } from './debug/open.ts'
import { checkEngagement, VERSION } from './engagement.ts'
import { createBus, reportError } from './events/bus.ts'
import { mirrorToDataLayer } from './events/datalayer.ts'
import { followHistory } from './history.ts'
import { visibleCountdown } from './refresh.ts'
import { createIdentities } from './identity/authenticated.ts'
import { createIdentityStore } from './identity/visitor.ts'
import { asArray, dict, hasOwn, isArray, isPlainObject, own, put } from './lib/checks.ts'
import { debugLog } from './lib/log.ts'
import { besideScript, runningScript, scriptLoader } from './lib/page.ts'
import { explainBlockedApi } from './monitoring/csp.ts'
import { loadCatalog, type Catalog } from './offer/catalog.ts'
import { startOffer } from './offer/lifecycle.ts'
import type { OfferUi } from './offer/ui.ts'
import { deliverSdes } from './sdes/delivery.ts'
import { createSdeStore, pageSdes } from './sdes/store.ts'
import { notAvailable, type Services, type Tag } from './state.ts'
import { consented, withheld } from './lib/abort.ts'
import type { EngagementResult, LpTag, TagError } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

/**
 * Where a build's offer UI comes from: `tag.js` loads its chunk from beside its own script (the
 * URL fixed now, while that script runs), `tag.full.js` has it built in.
 */
export type UiSource = (lpTag: object, script: HTMLScriptElement | null) => {
  url?: string
  /** The chunk's Subresource Integrity hash, of this build. */
  integrity?: string
  get(load: (url: string) => Promise<void>): () => Promise<OfferUi | undefined>
}

/** debug.js's Subresource Integrity hash, of this build (set by build.mjs). */
declare const __DEBUG_SRI__: string

/** The pre-load `window.lpTag` the page set, if any. */
function preloadObject(win: Window): Global | undefined {
  const w = win as unknown as { lpTag?: unknown }
  // The page's own pre-load object only: an element with id or name "lpTag" in page content is a
  // `window` property too (named access), and must neither pass for it nor keep the API from the page.
  return hasOwn(w, 'lpTag') && isPlainObject(w.lpTag) ? (w.lpTag as Global) : undefined
}

/** A bind queued in a page's `lpTag.events` array: `[appName, eventName, func]` or the options object. */
function bindQueued(bus: LpTag['events'], args: unknown): void {
  if (isArray(args)) bus.bind(...(asArray(args) as [string, string, () => void]))
  else bus.bind(args as never)
}

/** What start-up made, for configuring the tag once the document is parsed. */
interface Booted {
  doc: Document
  running: HTMLScriptElement | null
  /** A copy of the pre-load object, taken before the tag's own members extend it. */
  preload: Record<string, unknown> | undefined
  lpTag: Global
  bus: LpTag['events']
  startup: Startup
  page: ReturnType<typeof pageApi>
  services: Omit<Services, 'ids' | 'catalog' | 'offer'>
  debug: () => void
  /** Settles `startup.configured`. */
  configured: (tag: Tag | EngagementResult) => void
}

/**
 * Starts the tag once per page: keeps and extends an existing `window.lpTag`, replays what was
 * queued on it before load, resolves the configuration once the document is parsed and runs the
 * first engagement check. `win` and `doc` are the page's globals, passed in by the entry.
 */
export function boot(win: Window, doc: Document, uiSource: UiSource): void {
  const found = preloadObject(win)
  // Read now: `currentScript` is only set while this script runs.
  const running = runningScript(doc)
  // A second copy (pasted twice, GTM firing twice, a bookmarklet) leaves the first one in charge.
  // With `data-lp-debug` on its own script (the bookmarklet), it opens the running tag's panel.
  if (own(found, 'loaded') === true) return void (running?.hasAttribute('data-lp-debug') && own(found, 'debug')?.())
  const lpTag: Global = found ?? {}
  ;(win as unknown as { lpTag: Global }).lpTag = lpTag
  // The pre-load object's queues, as they were before the tag's own members replace them.
  const queued = { sdes: asArray(own(lpTag, 'sdes')), identities: asArray(own(lpTag, 'identities')), events: asArray(own(lpTag, 'events')) }
  // Whatever the page did to what start-up reads (a throwing getter on a queue, a sealed object),
  // the page API is in first and every getEngagement() promise settles.
  let fail = (error: unknown) => console.error('[lpTag] the tag failed to start', error)
  try {
    const booted = install(doc, running, lpTag, found, uiSource, (failure) => (fail = failure))
    const { bus, startup } = booted
    Object.defineProperty(lpTag, '_debugPort', dict({ value: booted.port }))
    for (const args of queued.events) bindQueued(bus, args)
    booted.snippet.binds()
    booted.identities.push(...(queued.identities as never[]))
    startup.sdes.push(...(queued.sdes as never[]))
    booted.snippet.rest()
    // Page elements (a configuration element, `data-lp-section` anywhere) may come after an early
    // async script: read them once the document is parsed, with the stored ids read meanwhile.
    if (doc.readyState === 'loading') {
      startup.early = readIdsEarly(running, booted.preload, startup)
      doc.addEventListener('DOMContentLoaded', () => configure(booted), dict({ once: true }))
    } else configure(booted)
  } catch (error) {
    fail(error)
  }
}

/**
 * Makes the tag's parts and puts its API on `lpTag` (`win.lpTag` already): the bus, the stores,
 * LivePerson's snippet and Trigger API, the debug panel's opener and port.
 */
function install(doc: Document, running: HTMLScriptElement | null, lpTag: Global, found: Global | undefined, uiSource: UiSource, onFail: (fail: (error: unknown) => void) => void) {
  // The only script URLs the tag ever sets, fixed now from the running script alone: never from
  // the page's URL, a later `<base>` or an element the page could fake.
  const debugUrl = besideScript(running, 'debug.js')
  const ui = uiSource(lpTag, running)
  const load = scriptLoader([
    [debugUrl, __DEBUG_SRI__],
    [ui.url, ui.integrity ?? ''],
  ])
  const preload = copyPreload(found)
  const { events: bus, publish } = createBus()
  let configured!: Booted['configured']
  const startup: Startup = { configured: new Promise((resolve) => (configured = resolve)), sdes: createSdeStore(publish, () => flush()) }
  onFail((error) => failed(publish, configured, error))
  const page = pageApi(startup)
  // The page API before anything reads what the page queued (which may throw).
  for (const [name, member] of Object.entries(page)) put(lpTag, name, member)
  const identities = createIdentities()
  const hooks = createHooks(asArray(own(lpTag, 'hooks')))
  // LivePerson's standard snippet ran first: its stub's queues, kept to replay once the API is in.
  const snippet = adoptSnippet(lpTag)
  const flush = sdesFlusher(startup)
  const stub = rendererStub(() => startup.tag?.current)
  // LivePerson's Engagement Trigger API, in the page's own `taglets` object when it has one.
  const taglets = own(lpTag, 'taglets')
  if (isPlainObject(taglets)) put(taglets, 'rendererStub', stub)
  else put(lpTag, 'taglets', { rendererStub: stub })

  // The debug panel's view of the tag (internal, not in the public types).
  const port: DebugPort = {
    log: debugLog,
    ids: async () => startup.tag && { ...(await startup.tag.ids.load()), where: startup.tag.ids.where() },
    forget: () => startup.tag?.ids.clear(),
  }
  const debug = debugOpener(debugUrl, load, port)
  const api: Partial<LpTag> = { loaded: true, version: VERSION, ...page, debug }
  // Member by member: a page's getter-only property (a stub's `sdes`) costs that member, not the rest.
  for (const [name, member] of Object.entries(api)) put(lpTag, name, member)
  // The queues a page may also assign after load (`lpTag.identities = []; lpTag.identities.push(fn)`,
  // a pattern of LivePerson's samples): what it assigns is adopted, and the tag's own queue stays.
  const adopt = (name: string, member: object, take: (items: never[]) => unknown) => {
    try {
      Object.defineProperty(lpTag, name, dict({ get: () => member, set: (given: unknown) => given !== member && take(asArray(given) as never[]), enumerable: true, configurable: true }))
    } catch {
      put(lpTag, name, member)
    }
  }
  adopt('sdes', startup.sdes, (items) => startup.sdes.push(...items))
  adopt('identities', identities, (items) => identities.push(...items))
  adopt('hooks', hooks, (items) => hooks.push(...items))
  adopt('events', bus, (items) => items.forEach((args) => bindQueued(bus, args)))
  const services = { publish, sdes: startup.sdes, identities, hooks, flush, ui: ui.get(load) }
  const booted: Booted = { doc, running, preload, lpTag, bus, startup, page, services, debug, configured }
  return { ...booted, snippet, identities, port }
}

/** SDEs pushed or sent after load: delivered at the end of the task that pushed them, together. */
function sdesFlusher(startup: Startup): () => void {
  let flushing = false
  return () => {
    if (flushing) return
    flushing = true
    void Promise.resolve().then(() => {
      flushing = false
      try {
        const { tag } = startup
        if (tag) deliverSdes(tag, () => void checkEngagement(tag, tag.asked, true))
      } catch (error) {
        console.error('[lpTag] SDEs could not be sent', error)
      }
    })
  }
}

/**
 * From here on, whatever the page did to what start-up touches (a sealed pre-load object, a
 * throwing queued SDE, a clobbered `document.addEventListener`), every getEngagement() promise
 * settles: with the configured tag, or with an "internal" error.
 */
function failed(publish: Services['publish'], configured: Booted['configured'], error: unknown): void {
  const failure = { code: 'internal', message: `the tag failed to start: ${error}` }
  reportError(publish, failure)
  configured(notAvailable(failure))
}

/** Configures the tag from the parsed document and starts its first check (or says why not). */
function configure(booted: Booted): void {
  const { lpTag, bus, startup, preload, running, debug } = booted
  const { publish } = booted.services
  try {
    // Scripts written for LivePerson's tag poll `isDom` or listen for LPT/DOM_READY, which its
    // snippet announces (and does not again once `isDom` is set).
    if (!own(lpTag, 'isDom')) {
      put(lpTag, 'isDom', true)
      bus.trigger('LPT', 'DOM_READY', { t: 'contReady' })
    }
    startup.sdes.push(...(pageSdes() as never[]))
    const resolved = readConfig(booted.doc, running, preload, lpTag)
    if (!('config' in resolved)) {
      publish('LP_TAG', 'ERROR', resolved)
      booted.configured(notAvailable(resolved))
      // The panel explains the error: asked for by the script or the pre-load object.
      if (running?.hasAttribute('data-lp-debug') || own(preload, 'debug')) debug()
      return
    }
    const { config } = resolved
    publish('LP_TAG', 'READY', resolved)
    const tag = (startup.tag = createTag(config, { ...booted.services, lpTag }, startup, preload))
    booted.configured(tag)
    explainBlockedApi(config.origin)
    if (config.dataLayer) mirrorToDataLayer(bus)
    if (config.spa === 'history') followHistory((url) => booted.page.newPage(url))
    resume(tag)
    if (config.debug) debug()
  } catch (error) {
    failed(publish, booted.configured, error)
  }
}

/**
 * The configuration from the page as it is now, with where each value came from; or, when it is
 * wrong, the `config` error (each problem has had its console line).
 */
function readConfig(doc: Document, running: HTMLScriptElement | null, preload: Record<string, unknown> | undefined, lpTag: Global): Required<Pick<ResolvedConfig, 'config' | 'sources'>> | TagError {
  // `lpTag.section` set by the page after a synchronous tag, as LivePerson's tag reads it late.
  const section = own(lpTag, 'section')
  const raw = readRawConfig(doc, running, section === undefined ? preload : { ...preload, section })
  const resolved = resolveConfig(raw)
  for (const warning of resolved.warnings) console.warn(warning)
  if (resolved.config) return { config: resolved.config, sources: resolved.sources }
  for (const problem of resolved.problems) console.error(problem.message)
  return { code: 'config', message: resolved.problems.map((problem) => problem.message).join('; ') }
}

/**
 * The stored ids, read while the document is still parsed: only where the script or the pre-load
 * object gives the account, the domain and `consent: granted` themselves, so that no page element
 * can change which record it is or forbid reading it. `consent(false)` meanwhile erases it.
 */
function readIdsEarly(running: HTMLScriptElement | null, preload: Record<string, unknown> | undefined, startup: Startup) {
  const { config, sources } = resolveConfig(readRawConfig(undefined, running, preload))
  const given = (key: 'account' | 'domain' | 'consent') => sources[key] === 'script' || sources[key] === 'preload'
  if (!config || config.consent !== 'granted' || !given('account') || !given('domain') || !given('consent')) return
  const ids = createIdentityStore(config.origin, config.account, () => startup.consent !== false && (!startup.tag || consented(startup.tag)))
  void ids.load()
  return { key: `${config.origin}|${config.account}`, ids }
}

/** The tag's state for a valid configuration, with what start-up asked before it was there. */
function createTag(config: TagConfig, services: Omit<Services, 'ids' | 'catalog' | 'offer'> & Pick<Tag, 'lpTag'>, startup: Startup, preload: Record<string, unknown> | undefined): Tag {
  let catalog: Promise<Catalog> | undefined
  // No prototype: a member left undefined (`refresh`, `inflight`, `current`) must not come from a
  // polluted Object.prototype.
  const tag: Tag = dict({
    ...services,
    config,
    page: { url: startup.page?.url ?? location.href, sections: pageSections(startup.page?.section, config.sections) },
    grant: (startup.consent ?? config.consent === 'granted') ? new AbortController() : withheld(),
    // `autoStart: false` on the pre-load object (or LivePerson's stub) holds the first check.
    started: !!startup.start || own(preload, 'autoStart') !== false,
    decided: new Set<string>(),
    asked: {},
    ids: startup.early?.key === `${config.origin}|${config.account}` ? startup.early.ids : createIdentityStore(config.origin, config.account, () => consented(tag)),
    // Loaded with the first engagement check, not before: with consent pending nothing is fetched.
    catalog: () => (catalog ??= loadCatalog(config.engagements, own(preload, 'engagements'))),
    offer: (result, entry, signal) =>
      void startOffer(tag, result, entry, signal).catch((error: unknown) =>
        reportError(tag.publish, { code: 'render', message: `engagement ${result.engagementDetails?.engagementId} could not be shown: ${error}` }),
      ),
  })
  if (config.refresh) tag.refresh = visibleCountdown(config.refresh * 1000, () => recheck(tag))
  return tag
}
