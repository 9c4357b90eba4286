import { createBus } from './bus.ts'
import { debugLog } from './debuglog.ts'
import { asArray, strings } from './checks.ts'
import { copyPreload, findOwnScript, readRawConfig } from './config/read.ts'
import { resolveConfig } from './config/resolve.ts'
import { checkEngagement, VERSION, type Tag } from './engagement.ts'
import { createIdentities } from './identities.ts'
import { createIdentityStore } from './identity.ts'
import { sendReport } from './monitoring/report.ts'
import { loadCatalog, type Catalog } from './offer/catalog.ts'
import { mirrorToDataLayer } from './offer/datalayer.ts'
import { removeOffer, startOffer } from './offer/lifecycle.ts'
import { createSdeStore, pageSdes } from './sdes/store.ts'
import { followHistory } from './spa.ts'
import type { EngagementResult, LpTag } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

/**
 * Starts the tag once per page: keeps and extends an existing `window.lpTag`, replays what was
 * queued on it before load, resolves the configuration and runs the first engagement check.
 */
export function boot(): void {
  const w = window as unknown as { lpTag?: unknown }
  const found = w.lpTag && typeof w.lpTag === 'object' ? (w.lpTag as Global) : undefined
  // A second copy (pasted twice, GTM firing twice, a bookmarklet) leaves the first one in charge.
  // With `data-lp-debug` on its own script (the bookmarklet), it opens the running tag's panel.
  if (found?.loaded === true) return void (findOwnScript(document)?.hasAttribute('data-lp-debug') && found.debug?.())
  const lpTag: Global = found ?? {}
  w.lpTag = lpTag

  // Read now: `currentScript` is only set while this script runs, and the pre-load object is about
  // to be extended with the tag's own members.
  const script = findOwnScript(document)
  const preload = copyPreload(found)
  const queued = { sdes: asArray(lpTag.sdes), identities: asArray(lpTag.identities), events: asArray(lpTag.events) }

  const bus = createBus()
  const identities = createIdentities()
  let tag: Tag | undefined
  let started = false
  let debugging = false
  let consentGiven: boolean | undefined
  let configError: EngagementResult = { status: 'NotAvailable' }
  let configured: (tag: Tag | undefined) => void
  const whenConfigured = new Promise<Tag | undefined>((resolve) => (configured = resolve))
  // SDEs sent while an offer shows go to its session with the Report method; otherwise they may
  // make the visitor eligible, so they come with a fresh engagement check.
  const sdes = createSdeStore(bus, (sent) => {
    if (!tag?.consented) return
    if (tag.current) sendReport(tag.config, tag.current.session, sent)
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
      if (!tag) return
      tag.consented = consentGiven
      if (tag.consented) {
        if (!tag.inflight && !started) start()
      } else {
        tag.inflight?.abort()
        removeOffer(tag)
        void tag.ids.clear()
      }
    },
    newPage(url, options = {}) {
      if (!tag) return
      tag.inflight?.abort()
      removeOffer(tag)
      let href = location.href
      try {
        href = new URL(url, href).href
      } catch {}
      tag.page = {
        url: href,
        sections: strings(options.section) ?? tag.config.sections,
      }
      tag.sdes.reset(asArray(options.sdes))
      if (tag.consented) void checkEngagement(tag)
    },
    debug() {
      // A second call (the bookmarklet clicked again) shows the panel if it was closed.
      if (debugging) return void port.show?.()
      debugging = true
      const src = new URL('debug.js', script?.src || location.href).href
      const fail = (why: unknown) =>
        console.error(`[lpTag] the debug panel could not load (${why}): the page's CSP needs script-src ${new URL(src).origin} and, with Trusted Types, trusted-types lp-tag`)
      try {
        const el = document.createElement('script')
        const tt = (window as { trustedTypes?: { createPolicy?(name: string, rules: object): { createScriptURL(url: string): string } } }).trustedTypes
        // The only script URL the tag ever sets, through a policy made here and nowhere else.
        el.src = tt?.createPolicy ? tt.createPolicy('lp-tag', { createScriptURL: (url: string) => (url === src ? url : '') }).createScriptURL(src) : src
        el.onerror = () => fail('blocked or not found')
        document.head.append(el)
      } catch (error) {
        fail(error)
      }
    },
  }
  Object.assign(lpTag, api)
  // The debug panel's view of the tag: internal, not enumerable, not in the public types.
  Object.defineProperty(lpTag, '_debugPort', { value: port })

  for (const args of queued.events) {
    if (Array.isArray(args)) bus.bind(...(args as [string, string, () => void]))
    else bus.bind(args as never)
  }
  identities.push(...(queued.identities as never[]))
  sdes.push(...(queued.sdes as never[]))

  // Page elements (a configuration element, `data-lp-section` anywhere) may come after an early
  // async script: read them once the document is parsed.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', configureSafely, { once: true })
  else configure()

  function configureSafely() {
    try {
      configure()
    } catch (error) {
      console.error('[lpTag] the tag failed to start', error)
    }
  }

  function configure() {
    sdes.push(...(pageSdes() as never[]))
    const resolved = resolveConfig(readRawConfig(document, script, preload))
    if (!resolved.config) {
      const message = resolved.problems.map((p) => p.message).join('; ')
      for (const problem of resolved.problems) console.error(problem.message)
      bus.trigger('LP_TAG', 'ERROR', { code: 'config', message })
      configError = { status: 'NotAvailable', error: { code: 'config', message } }
      configured(undefined)
      // The panel explains the error: asked for by the script or the pre-load object.
      if (script?.hasAttribute('data-lp-debug') || preload?.debug) api.debug!()
      return
    }
    const config = resolved.config
    bus.trigger('LP_TAG', 'READY', { config, sources: resolved.sources })

    let catalog: Promise<Catalog> | undefined
    const current: Tag = {
      config,
      bus,
      sdes,
      identities,
      lpTag,
      page: { url: location.href, sections: config.sections },
      consented: consentGiven ?? config.consent === 'granted',
      ids: createIdentityStore(config.origin, config.account, () => current.consented),
      // Loaded with the first engagement check, not before: with consent pending nothing is fetched.
      catalog: () => (catalog ??= loadCatalog(config.engagements, preload?.engagements)),
      offer: (result, look) => startOffer(current, result, look),
    }
    tag = current
    configured(current)
    if (config.dataLayer) mirrorToDataLayer(bus)
    if (config.spa === 'history') followHistory((url) => api.newPage!(url))
    if (current.consented) start()
    if (config.debug) api.debug!()
  }

  function start() {
    started = true
    void checkEngagement(tag!)
  }
}
