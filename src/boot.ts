import { createBus } from './bus.ts'
import { asArray, strings } from './checks.ts'
import { findOwnScript, readRawConfig } from './config/read.ts'
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
  if (found?.loaded === true) return
  const lpTag: Global = found ?? {}
  w.lpTag = lpTag

  // Read now: `currentScript` is only set while this script runs, and the pre-load object is about
  // to be extended with the tag's own members.
  const script = findOwnScript(document)
  const preload = readRawConfig(document, script, found).preload
  const queued = { sdes: asArray(lpTag.sdes), identities: asArray(lpTag.identities), events: asArray(lpTag.events) }

  const bus = createBus()
  const identities = createIdentities()
  let tag: Tag | undefined
  let started = false
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
      console.info('[lpTag] the debug panel is not part of this build yet')
    },
  }
  Object.assign(lpTag, api)

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
  }

  function start() {
    started = true
    void checkEngagement(tag!)
  }
}
