import { createBus } from './bus.ts'
import { findOwnScript, readRawConfig } from './config/read.ts'
import { resolveConfig } from './config/resolve.ts'
import { checkEngagement, reportError, VERSION, type Tag } from './engagement.ts'
import { createIdentities } from './identities.ts'
import { createIdentityStore } from './identity.ts'
import { loadCatalog, type Catalog } from './offer/catalog.ts'
import { mirrorToDataLayer } from './offer/datalayer.ts'
import { removeOffer, startOffer } from './offer/lifecycle.ts'
import { sendReport } from './monitoring/report.ts'
import { createSdeStore } from './sdes/store.ts'
import { followHistory } from './spa.ts'
import type { EngagementResult, LpTag } from './types.ts'

type Global = Partial<LpTag> & Record<string, unknown>

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

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

  const raw = readRawConfig(document, findOwnScript(document), found)
  const queued = { sdes: asArray(lpTag.sdes), identities: asArray(lpTag.identities), events: asArray(lpTag.events) }

  const bus = createBus()
  const identities = createIdentities()
  let tag: Tag | undefined
  let started = false
  let configError: EngagementResult = { status: 'NotAvailable' }
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
    getEngagement: (request) => (tag ? checkEngagement(tag, request) : Promise.resolve(configError)),
    consent(granted) {
      if (!tag) return
      tag.consented = granted === true
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
        sections: Array.isArray(options.section) ? options.section.filter((s) => typeof s === 'string') : tag.config.sections,
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

  const resolved = resolveConfig(raw)
  if (!resolved.config) {
    const message = resolved.problems.map((p) => p.message).join('; ')
    for (const problem of resolved.problems) console.error(problem.message)
    bus.trigger('LP_TAG', 'ERROR', { code: 'config', message })
    configError = { status: 'NotAvailable', error: { code: 'config', message } }
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
    consented: config.consent === 'granted',
    ids: createIdentityStore(config.origin, config.account, () => current.consented),
    // Loaded with the first engagement check, not before: with consent pending nothing is fetched.
    catalog: () => (catalog ??= loadCatalog(config.engagements, found?.engagements)),
    offer: (result, look) => startOffer(current, result, look),
  }
  tag = current
  function start() {
    started = true
    void checkEngagement(current).catch((error) => reportError(bus, { code: 'internal', message: String(error) }))
  }
  if (config.dataLayer) mirrorToDataLayer(bus)
  if (config.spa === 'history') followHistory((url) => api.newPage!(url))
  if (current.consented) start()
}
