/**
 * Wiring: the page view, the browser shell that performs its effects, and `window.lpTag`, whose
 * members turn the page's calls into the page view's intents. Once per page.
 */
import { pageApi } from './api/page.ts'
import { sdeIntake, sdesApi } from './api/sdes.ts'
import { createHooks } from './compat/hooks.ts'
import { adoptSnippet } from './compat/snippet.ts'
import { followTcf } from './compat/tcf.ts'
import { rendererStub } from './compat/trigger.ts'
import { copyPreload, readRawConfig } from './config/read.ts'
import { resolveConfig } from './config/resolve.ts'
import { debugOpener } from './debug/open.ts'
import { createBus, reportError } from './events/bus.ts'
import { followHistory } from './history.ts'
import { createIdentities } from './identity/authenticated.ts'
import { asArray, dict, hasOwn, isArray, isPlainObject, own, put } from './lib/checks.ts'
import { debugLog } from './lib/log.ts'
import { pageHidden } from './lib/page.ts'
import { runningScript, scriptLoader, type Chunks, type Load, type Script } from './lib/scripts.ts'
import { explainBlockedApi } from './monitoring/csp.ts'
import { configure, consent, createPageView, forget, notAvailable, push, visibility, type State } from './pageview/machine.ts'
import { createShell, useStore, VERSION, type Shell } from './pageview/shell.ts'
import { pageSdes } from './sdes/accept.ts'
import type { LpTag, Sde } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

/** debug.js's Subresource Integrity hash, of this build (set by build.mjs). */
declare const __DEBUG_SRI__: string


/**
 * Starts the tag once per page: keeps and extends an existing `window.lpTag`, replays what was
 * queued on it before load, resolves the configuration once the document is parsed. `win` and
 * `doc` are the page's globals, passed in by the entry; `scripts` are the build's chunks beside
 * `tag.js` (none: built in) and `chunks` how the offer gets them.
 */
export function boot(win: Window, doc: Document, scripts: Record<string, Script>, chunks: (lpTag: object, load: Load) => Chunks): void {
  const w = win as unknown as { lpTag?: Global }
  // The page's own pre-load object only: an element with id or name "lpTag" in page content is a
  // `window` property too (named access), and must neither pass for it nor keep the API from the page.
  const found = hasOwn(w, 'lpTag') && isPlainObject(w.lpTag) ? w.lpTag : undefined
  // Read now: `currentScript` is only set while this script runs.
  const running = runningScript(doc)
  // A second copy (pasted twice, GTM firing twice, a bookmarklet) leaves the first one in charge.
  // With `data-lp-debug` on its own script (the bookmarklet), it opens the running tag's panel.
  if (own(found, 'loaded') === true) return void (running?.hasAttribute('data-lp-debug') && own(found, 'debug')?.())
  const lpTag: Global = (w.lpTag = found ?? {})
  // The pre-load object as it was, before the tag's own members extend it (`debug` becomes a method).
  const preload = copyPreload(found)
  const [queuedEvents, queuedIdentities, queuedSdes, queuedHooks] = ['events', 'identities', 'sdes', 'hooks'].map((name) => asArray(own(lpTag, name)) as never[])
  const bus = createBus()
  const { events_: events, publish_: publish } = bus
  // The only script URLs the tag ever sets, fixed now from the running script alone.
  const load = scriptLoader(running, { ...scripts, debug: ['debug.js', __DEBUG_SRI__] })
  const hooks = createHooks()
  const identities = createIdentities()
  const shell = createShell(lpTag, bus, hooks, identities.all_, chunks(lpTag, load), own(preload, 'engagements'))
  const pv = (shell.pv_ = createPageView(shell.fx_))
  const accept = sdeIntake(publish)
  const api = pageApi(pv, accept)
  const port = { log: debugLog, ids: async () => pv.ids_ && { ...pv.ids_, where: shell.store_ && pv.consent_ ? shell.store_.where_() : 'memory' }, forget: () => forget(pv) }
  const debug = debugOpener(load, port)
  /** From here on, whatever the page did to what start-up reads, every getEngagement() settles. */
  const failed = (error: unknown) => {
    const failure = { code: 'internal', message: `the tag failed to start: ${error}` }
    reportError(publish, failure)
    configure(pv, notAvailable(failure))
  }
  try {
    // The page API first, member by member (a page's getter-only property costs that member only).
    for (const [name, member] of Object.entries({ ...api, loaded: true, version: VERSION, debug })) put(lpTag, name, member)
    Object.defineProperty(lpTag, '_debugPort', dict({ value: port }))
    const bindQueued = (args: unknown) => (isArray(args) ? events.bind(...(asArray(args) as [string, string, () => void])) : events.bind(args as never))
    const queues: [string, object, (items: never[]) => unknown][] = [
      ['hooks', hooks, (items) => hooks.push(...items)],
      ['events', events, (items) => items.forEach(bindQueued)],
      ['identities', identities, (items) => identities.push(...items)],
      ['sdes', sdesApi(pv, accept), (items) => push(pv, accept(items))],
    ]
    for (const [name, member, take] of queues) adopt(lpTag, name, member, take)
    // LivePerson's Engagement Trigger API, in the page's own `taglets` object when it has one.
    const stub = rendererStub(() => pv.offer_, () => shell.lifecycle_?.accept_())
    const taglets = own(lpTag, 'taglets')
    if (isPlainObject(taglets)) put(taglets, 'rendererStub', stub)
    else put(lpTag, 'taglets', { rendererStub: stub })
    // LivePerson's standard snippet ran first: its queued binds, then (after the pre-load queues,
    // whose SDEs announce themselves) its triggers.
    const snippet = adoptSnippet(lpTag)
    queues[0]![2](queuedHooks!)
    queues[1]![2](queuedEvents!)
    snippet.binds_()
    queues[2]![2](queuedIdentities!)
    queues[3]![2](queuedSdes!)
    snippet.rest_()
    const configureTag = () => configureFromPage(doc, running, preload, lpTag, bus, pv, shell, accept, () => api.newPage, debug, failed)
    // Page elements (a configuration element, `data-lp-section` anywhere) may come after an early
    // async script: read them once the document is parsed, with the stored ids read meanwhile.
    if (doc.readyState !== 'loading') return configureTag()
    readIdsEarly(running, preload, shell)
    doc.addEventListener('DOMContentLoaded', configureTag, dict({ once: true }))
  } catch (error) {
    failed(error)
  }
}

/**
 * The queues a page may also assign after load (`lpTag.identities = []; lpTag.identities.push(fn)`,
 * a pattern of LivePerson's samples): what it assigns is adopted, and the tag's own member stays.
 */
function adopt(lpTag: Global, name: string, member: object, take: (items: never[]) => unknown) {
  try {
    Object.defineProperty(lpTag, name, dict({ get: () => member, set: (given: unknown) => given !== member && take(asArray(given) as never[]), enumerable: true, configurable: true }))
  } catch {
    put(lpTag, name, member)
  }
}

/** Configures the tag from the parsed document and hands the page view its setup (or why there is none). */
function configureFromPage(
  doc: Document,
  running: HTMLScriptElement | null,
  preload: Record<string, unknown> | undefined,
  lpTag: Global,
  { events_: events, publish_: publish }: ReturnType<typeof createBus>,
  pv: State,
  shell: Shell,
  accept: (input: unknown[]) => Sde[],
  newPage: () => LpTag['newPage'],
  debug: () => void,
  failed: (error: unknown) => void,
): void {
  try {
    // Scripts written for LivePerson's tag poll `isDom` or listen for LPT/DOM_READY, which its
    // snippet announces (and does not again once `isDom` is set).
    if (!own(lpTag, 'isDom')) {
      put(lpTag, 'isDom', true)
      events.trigger('LPT', 'DOM_READY', { t: 'contReady' })
    }
    push(pv, accept(pageSdes()))
    // `lpTag.section` set by the page after a synchronous tag, as LivePerson's tag reads it late.
    const section = own(lpTag, 'section')
    const resolved = resolveConfig(readRawConfig(doc, running, section === undefined ? preload : { ...preload, section }))
    for (const warning of resolved.warnings) console.warn(warning)
    const config = resolved.config
    if (!config) {
      for (const problem of resolved.problems) console.error(problem.message)
      const error = { code: 'config', message: resolved.problems.map((problem) => problem.message).join('; ') }
      publish('LP_TAG', 'ERROR', error)
      configure(pv, notAvailable(error))
      // The panel explains the error: asked for by the script or the pre-load object.
      if (running?.hasAttribute('data-lp-debug') || own(preload, 'debug')) debug()
      return
    }
    publish('LP_TAG', 'READY', { config, sources: resolved.sources })
    shell.config_ = config
    useStore(shell, config.origin, config.account)
    explainBlockedApi(config.origin)
    if (config.spa === 'history') followHistory((url) => newPage()(url))
    // `visibilitychange` bubbles from `document` to `window`, where page content cannot shadow `addEventListener`.
    addEventListener('visibilitychange', () => visibility(pv, pageHidden()))
    // `autoStart: false` on the pre-load object (or LivePerson's stub) holds the first check.
    configure(pv, { url_: location.href, sections_: config.sections, refreshMs_: config.refresh && config.refresh * 1000, granted_: config.consent === 'granted', autoStart_: own(preload, 'autoStart') !== false })
    if (config.consent === 'tcf') followTcf(config.tcfVendor, (granted) => consent(pv, granted))
    if (config.debug) debug()
  } catch (error) {
    failed(error)
  }
}

/**
 * The stored ids, read while the document is still parsed: only where the script or the pre-load
 * object gives the account, the domain and `consent: granted` themselves, so that no page element
 * can change which record it is or forbid reading it. `consent(false)` meanwhile erases it.
 */
function readIdsEarly(running: HTMLScriptElement | null, preload: Record<string, unknown> | undefined, shell: Shell) {
  const { config, sources } = resolveConfig(readRawConfig(undefined, running, preload))
  const given = (key: 'account' | 'domain' | 'consent') => sources[key] === 'script' || sources[key] === 'preload'
  if (config && config.consent === 'granted' && given('account') && given('domain') && given('consent')) void useStore(shell, config.origin, config.account).read_()
}
