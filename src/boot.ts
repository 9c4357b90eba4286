/**
 * Wiring: the page view, the browser shell that performs its effects, and `window.lpTag`, whose
 * members turn the page's calls into the page view's intents. Once per page.
 */
import { pageApi } from './api/page.ts'
import { sdeIntake, sdesApi } from './api/sdes.ts'
import { createHooks } from './compat/hooks.ts'
import { adoptSnippet } from './compat/snippet.ts'
import { rendererStub } from './compat/trigger.ts'
import { copyPreload, readRawConfig } from './config/read.ts'
import { resolveConfig, type TagConfig } from './config/resolve.ts'
import { debugOpener } from './debug/open.ts'
import { createBus, reportError } from './events/bus.ts'
import { followHistory } from './history.ts'
import { createIdentities } from './identity/authenticated.ts'
import type { Chunks } from './lib/chunks.ts'
import { asArray, dict, hasOwn, isArray, isPlainObject, own, put } from './lib/checks.ts'
import { debugLog } from './lib/log.ts'
import { besideScript, pageHidden, runningScript, scriptLoader } from './lib/page.ts'
import { explainBlockedApi } from './monitoring/csp.ts'
import { createPageView, notAvailable } from './pageview/machine.ts'
import { createShell, VERSION } from './pageview/shell.ts'
import { pageSdes } from './sdes/accept.ts'
import type { LpTag, TagError } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

/** debug.js's Subresource Integrity hash, of this build (set by build.mjs). */
declare const __DEBUG_SRI__: string

/**
 * Where a build's offer chunks come from: `tag.js` loads them from beside its own script (URLs
 * and integrity hashes fixed now, while that script runs); `tag.full.js` has them built in.
 */
export type ChunkSource = (script: HTMLScriptElement | null) => {
  scripts: [url: string | undefined, integrity: string][]
  chunks(lpTag: object, load: (url: string, low?: boolean) => Promise<void>): Chunks
}

/** The pre-load `window.lpTag` the page set, if any. */
function preloadObject(win: Window): Global | undefined {
  const w = win as unknown as { lpTag?: unknown }
  // The page's own pre-load object only: an element with id or name "lpTag" in page content is a
  // `window` property too (named access), and must neither pass for it nor keep the API from the page.
  return hasOwn(w, 'lpTag') && isPlainObject(w.lpTag) ? (w.lpTag as Global) : undefined
}

/**
 * Starts the tag once per page: keeps and extends an existing `window.lpTag`, replays what was
 * queued on it before load, resolves the configuration once the document is parsed. `win` and
 * `doc` are the page's globals, passed in by the entry.
 */
export function boot(win: Window, doc: Document, source: ChunkSource): void {
  const found = preloadObject(win)
  // Read now: `currentScript` is only set while this script runs.
  const running = runningScript(doc)
  // A second copy (pasted twice, GTM firing twice, a bookmarklet) leaves the first one in charge.
  // With `data-lp-debug` on its own script (the bookmarklet), it opens the running tag's panel.
  if (own(found, 'loaded') === true) return void (running?.hasAttribute('data-lp-debug') && own(found, 'debug')?.())
  const lpTag: Global = found ?? {}
  ;(win as unknown as { lpTag: Global }).lpTag = lpTag
  // The pre-load object as it was, before the tag's own members extend it (`debug` becomes a method).
  const preload = copyPreload(found)
  const queued = ['events', 'identities', 'sdes', 'hooks'].map((name) => asArray(own(lpTag, name)))
  const { events, publish } = createBus()
  const { scripts, chunks } = source(running)
  // The only script URLs the tag ever sets, fixed now from the running script alone: never from
  // the page's URL, a later `<base>` or an element the page could fake.
  const debugUrl = besideScript(running, 'debug.js')
  const load = scriptLoader([[debugUrl, __DEBUG_SRI__], ...scripts])
  const hooks = createHooks()
  const identities = createIdentities()
  const shell = createShell({ lpTag, events, publish, hooks, identities: identities.all, chunks: chunks(lpTag, load), catalog: own(preload, 'engagements') })
  const pv = createPageView(shell.fx)
  shell.bind(pv)
  const accept = sdeIntake(publish)
  const api = pageApi(pv, accept)
  const port = { log: debugLog, ids: async () => pv.ids() && { ...pv.ids(), where: shell.where() }, forget: () => pv.forget() }
  const debug = debugOpener(debugUrl, load, port)
  /** From here on, whatever the page did to what start-up reads, every getEngagement() settles. */
  const failed = (error: unknown) => {
    const failure: TagError = { code: 'internal', message: `the tag failed to start: ${error}` }
    reportError(publish, failure)
    pv.configure(notAvailable(failure))
  }
  try {
    // The page API first, member by member (a page's getter-only property costs that member only).
    for (const [name, member] of Object.entries({ ...api, loaded: true, version: VERSION, debug })) put(lpTag, name, member)
    Object.defineProperty(lpTag, '_debugPort', dict({ value: port }))
    const bindQueued = (args: unknown) => (isArray(args) ? events.bind(...(asArray(args) as [string, string, () => void])) : events.bind(args as never))
    const queues: [string, object, (items: never[]) => unknown][] = [
      ['events', events, (items) => items.forEach(bindQueued)],
      ['identities', identities, (items) => identities.push(...items)],
      ['sdes', sdesApi(pv, accept), (items) => pv.push(accept(items))],
      ['hooks', hooks, (items) => hooks.push(...items)],
    ]
    for (const [name, member, take] of queues) adopt(lpTag, name, member, take)
    // LivePerson's Engagement Trigger API, in the page's own `taglets` object when it has one.
    const stub = rendererStub(pv.offer, () => shell.lifecycle()?.accept())
    const taglets = own(lpTag, 'taglets')
    if (isPlainObject(taglets)) put(taglets, 'rendererStub', stub)
    else put(lpTag, 'taglets', { rendererStub: stub })
    // LivePerson's standard snippet ran first: its queued binds, then (after the pre-load queues,
    // whose SDEs announce themselves) its triggers.
    const snippet = adoptSnippet(lpTag)
    const [boundEvents, queuedIdentities, queuedSdes, queuedHooks] = queued as never[][]
    queues[3]![2](queuedHooks!)
    queues[0]![2](boundEvents!)
    snippet.binds()
    queues[1]![2](queuedIdentities!)
    queues[2]![2](queuedSdes!)
    snippet.rest()
    const configure = () => configureTag({ doc, running, preload, lpTag, events, publish, pv, shell, accept, api, debug }, failed)
    // Page elements (a configuration element, `data-lp-section` anywhere) may come after an early
    // async script: read them once the document is parsed, with the stored ids read meanwhile.
    if (doc.readyState !== 'loading') return configure()
    readIdsEarly(running, preload, shell)
    doc.addEventListener('DOMContentLoaded', configure, dict({ once: true }))
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

type Wiring = {
  doc: Document
  running: HTMLScriptElement | null
  preload: Record<string, unknown> | undefined
  lpTag: Global
  events: ReturnType<typeof createBus>['events']
  publish: ReturnType<typeof createBus>['publish']
  pv: ReturnType<typeof createPageView>
  shell: ReturnType<typeof createShell>
  accept: ReturnType<typeof sdeIntake>
  api: ReturnType<typeof pageApi>
  debug: () => void
}

/** Configures the tag from the parsed document and hands the page view its setup (or why there is none). */
function configureTag(w: Wiring, failed: (error: unknown) => void): void {
  const { lpTag, events, publish, pv } = w
  try {
    // Scripts written for LivePerson's tag poll `isDom` or listen for LPT/DOM_READY, which its
    // snippet announces (and does not again once `isDom` is set).
    if (!own(lpTag, 'isDom')) {
      put(lpTag, 'isDom', true)
      events.trigger('LPT', 'DOM_READY', { t: 'contReady' })
    }
    pv.push(w.accept(pageSdes()))
    // `lpTag.section` set by the page after a synchronous tag, as LivePerson's tag reads it late.
    const section = own(lpTag, 'section')
    const resolved = resolveConfig(readRawConfig(w.doc, w.running, section === undefined ? w.preload : { ...w.preload, section }))
    for (const warning of resolved.warnings) console.warn(warning)
    const config = resolved.config
    if (!config) {
      for (const problem of resolved.problems) console.error(problem.message)
      const error = { code: 'config', message: resolved.problems.map((problem) => problem.message).join('; ') }
      publish('LP_TAG', 'ERROR', error)
      pv.configure(notAvailable(error))
      // The panel explains the error: asked for by the script or the pre-load object.
      if (w.running?.hasAttribute('data-lp-debug') || own(w.preload, 'debug')) w.debug()
      return
    }
    publish('LP_TAG', 'READY', { config, sources: resolved.sources })
    w.shell.configure(config)
    explainBlockedApi(config.origin)
    if (config.spa === 'history') followHistory((url) => w.api.newPage(url))
    // `visibilitychange` bubbles from `document` to `window`, where page content cannot shadow `addEventListener`.
    addEventListener('visibilitychange', () => pv.visibility(pageHidden()))
    pv.configure(setupOf(config, w.preload))
    if (config.debug) w.debug()
  } catch (error) {
    failed(error)
  }
}

/** The page view's setup from the configuration; `autoStart: false` on the pre-load object (or LivePerson's stub) holds the first check. */
const setupOf = (config: TagConfig, preload: Record<string, unknown> | undefined) => ({
  url: location.href,
  sections: config.sections,
  granted: config.consent === 'granted',
  autoStart: own(preload, 'autoStart') !== false,
  refreshMs: config.refresh && config.refresh * 1000,
})

/**
 * The stored ids, read while the document is still parsed: only where the script or the pre-load
 * object gives the account, the domain and `consent: granted` themselves, so that no page element
 * can change which record it is or forbid reading it. `consent(false)` meanwhile erases it.
 */
function readIdsEarly(running: HTMLScriptElement | null, preload: Record<string, unknown> | undefined, shell: ReturnType<typeof createShell>) {
  const { config, sources } = resolveConfig(readRawConfig(undefined, running, preload))
  const given = (key: 'account' | 'domain' | 'consent') => sources[key] === 'script' || sources[key] === 'preload'
  if (config && config.consent === 'granted' && given('account') && given('domain') && given('consent')) shell.readEarly(config.origin, config.account)
}
