import { reportError } from '../events/bus.ts'
import { copy, dict, isObject, own } from '../lib/checks.ts'
import type { Session } from '../pageview/state.ts'
import type { EngagementDetails, EngagementResult, Format } from '../types.ts'
import { loadCatalog, parseEntry, type Catalog, type CatalogEntry } from './catalog.ts'
import type { CreateLifecycle, OfferContext } from './context.ts'
import { mirrorToDataLayer } from './datalayer.ts'
import { acceptUrl, handoff } from './handoff.ts'
import { offerEventData } from './payload.ts'
import type { Drawn, Place } from './ui.ts'

type ImpressionType = 'impDisplay' | 'impAccept' | 'impTimeout' | 'impClose'

/** The offer chunk's own state: the catalog, the offer about to start (its UI loading), the one on the page. */
interface Offers {
  ctx_: OfferContext
  catalog_: Promise<Catalog>
  starting_?: number
  current_?: { accept_(): boolean; end_(): void }
}

/**
 * The offer chunk (`dist/offer.<hash>.js`): the lifecycle of one offer at a time (contract sections 3
 * and 5), from the answer that offers it to its removal, with its reports, the hand-off and the
 * click URL; the brand's catalog, loaded once; the dataLayer mirror.
 */
export const createLifecycle: CreateLifecycle = (ctx) => {
  const config = ctx.config_
  const offers: Offers = dict({ ctx_: ctx, catalog_: loadCatalog(config.engagements, ctx.catalog_) })
  if (config.dataLayer) mirrorToDataLayer(ctx.bus_.events_)
  return {
    validity_: (engagementId) => offers.catalog_.then((found) => found.get(engagementId)?.validForSeconds),
    start_: (id, result) =>
      void begin(offers, id, result).catch((error: unknown) =>
        reportError(ctx.bus_.publish_, { code: 'render', message: `engagement ${result.engagementDetails?.engagementId} could not be shown: ${error}` }),
      ),
    end_() {
      offers.starting_ = undefined
      offers.current_?.end_()
    },
    accept_: () => !!offers.current_?.accept_(),
  }
}

/**
 * Shows an available engagement as offer `id`: on a headless page at once, else once the offer UI
 * is there and has a place for its format. Every await is a moment for page code to end it
 * (`newPage`, `consent(false)`, a newer offer): then nothing shows.
 */
async function begin(offers: Offers, id: number, result: EngagementResult) {
  const { ctx_: ctx } = offers
  const config = ctx.config_
  const details = result.engagementDetails!
  // Valid from the answer on: an offer whose UI took longer than that never shows.
  const expires = Date.now() + details.validForSeconds * 1000
  offers.starting_ = id
  try {
    const headless = config.render === 'none'
    const ui = headless ? undefined : await ctx.ui_()
    const found = (await offers.catalog_).get(String(details.engagementId))
    if (offers.starting_ !== id || (!headless && !ui)) return
    const entry = askHooks(ctx, details, found ?? parseEntry('', undefined))
    if (!entry || offers.starting_ !== id) return
    if (Date.now() >= expires) return console.warn(`[lpTag] engagement ${details.engagementId} is not shown: its ${details.validForSeconds} s of validity ran out before its UI loaded`)
    const format = entry.format ?? config.format
    const place = ui?.place_(format, entry.zone)
    if (place && 'code' in place) return reportError(ctx.bus_.publish_, { code: place.code, message: `${place.message} for engagement ${details.engagementId}` })
    offers.starting_ = undefined
    run(offers, id, result, entry, format, place, expires)
  } finally {
    // It never started: the page view's slot is free again.
    if (offers.starting_ === id) {
      offers.starting_ = undefined
      ctx.page_.offerEnded_(id)
    }
  }
}

/**
 * The offer's lifecycle: START → OFFER_DISPLAY → OFFER_IMPRESSION → OFFER_CLICK | OFFER_DECLINED |
 * OFFER_TIMEOUT → OFFER_REMOVE, each reported to the API where the Report method has an event for
 * it. `place` is where it is drawn; none on a headless page. Every event runs page code that may
 * call anything: each step is set up before the event that announces it, and after each event
 * the offer goes on only while it has not ended.
 */
function run(offers: Offers, id: number, result: EngagementResult, entry: CatalogEntry, format: Format, place: Place | undefined, expires: number) {
  const { config_: config, page_: page, bus_: bus } = offers.ctx_
  const publish = bus.publish_
  const details = result.engagementDetails!
  const session: Session = dict({ vid: result.visitorId!, sid: result.sessionId!, pageId: result.pageId })
  const data = offerEventData(details, result.pageId ?? '', format, entry.zone, entry.name)
  const report = reporter(offers.ctx_, session, details)
  let drawn: Drawn | undefined
  let ended = false
  let shown = !place
  const end = (event?: 'OFFER_CLICK' | 'OFFER_DECLINED' | 'OFFER_TIMEOUT', type?: ImpressionType) => {
    if (ended) return
    ended = true
    clearTimeout(timer)
    if (offers.current_ === offer) offers.current_ = undefined
    page.offerEnded_(id, event === 'OFFER_CLICK' || event === 'OFFER_DECLINED')
    drawn?.remove_()
    if (event) publish('LP_OFFERS', event, event === 'OFFER_CLICK' ? { ...data, handoff: handoff(details, session) } : data)
    // Consent withdrawn by a listener of that event: the report does not go.
    if (type) report(type)
    publish('LP_OFFERS', 'OFFER_REMOVE', data)
  }
  const offer = (offers.current_ = {
    accept_() {
      if (!shown || ended) return false
      end('OFFER_CLICK', 'impAccept')
      // Built after the event: a listener may have withdrawn consent, and then no id leaves.
      const url = page.consented_() && config.clickUrl && acceptUrl(config.clickUrl, config.account, details, session)
      // `noreferrer`: the chat window learns nothing of the page's URL (its query string included).
      if (url) open(url, '_blank', 'noopener,noreferrer')
      return true
    },
    end_: () => end(),
  })
  page.offerStarted_(id, data)
  const timer = setTimeout(() => end('OFFER_TIMEOUT', 'impTimeout'), expires - Date.now())
  publish('LP_OFFERS', 'START', data)
  if (!place || ended) return
  try {
    drawn = place.draw_({
      id_: String(details.engagementId),
      looks_: entry.look,
      language_: details.language,
      accept_: () => void offer.accept_(),
      close_: () => end('OFFER_DECLINED', 'impClose'),
      seen_: () => ended || publish('LP_OFFERS', 'OFFER_IMPRESSION', data),
      removed_: () => end(),
    })
  } catch (error) {
    reportError(publish, { code: 'render', message: `engagement ${details.engagementId} could not be shown: ${error}` })
    return end()
  }
  shown = true
  report('impDisplay')
  publish('LP_OFFERS', 'OFFER_DISPLAY', data)
  // A listener took the offer out of the DOM: it ends now, before anything else is published.
  if (!drawn.host_.isConnected) end()
}

/**
 * Impressions go at the end of the task that caused them, together: an accept from an
 * OFFER_DISPLAY listener goes with the display it follows, in order; a consent(false) there stops
 * both (the page view sends reports only while consent holds). Display and accept carry the
 * offer's context (reference: monitoring-api-notes, Report method).
 */
function reporter(ctx: OfferContext, session: Session, details: EngagementDetails) {
  let queued: ImpressionType[] = []
  return (type: ImpressionType) => {
    if (queued.push(type) > 1) return
    void Promise.resolve().then(() => {
      const types = queued
      queued = []
      ctx.page_.report_(
        session,
        types.map((each) => ({
          type: each,
          campaign: details.campaignId,
          engId: details.engagementId,
          revision: details.engagementRevision,
          ...(each === 'impDisplay' || each === 'impAccept' ? { eContext: [{ type: 'engagementContext', id: details.contextId }] } : {}),
        })),
      )
    })
  }
}

const HOOK = 'BEFORE_ENG_DISPLAY hook: look'

/**
 * LivePerson's BEFORE_ENG_DISPLAY hook: the page may cancel the offer (`cancel: true`, then
 * undefined) or change its look. What a hook changed is validated like the catalog and drawn over
 * it; what it passed through unchanged still counts as the catalog's (its console lines name it).
 * A look that cannot be read (a throwing getter, a revoked Proxy) counts as no hook result.
 */
function askHooks(ctx: OfferContext, details: EngagementDetails, entry: CatalogEntry): CatalogEntry | undefined {
  if (!ctx.hooks_.has_('BEFORE_ENG_DISPLAY')) return entry
  const given: Record<string, unknown> = dict({ format: entry.format ?? ctx.config_.format })
  for (const [, look] of entry.look) if (isObject(look)) Object.assign(given, look)
  const asked = own(ctx.hooks_.run_('BEFORE_ENG_DISPLAY', { data: { engagement: copy(details), look: copy(given), cancel: false } }), 'data')
  if (own(asked, 'cancel') === true) return
  const changed: Record<string, unknown> = {}
  try {
    const look = own(asked, 'look')
    if (isObject(look)) for (const [field, value] of Object.entries(look)) if (value !== given[field]) changed[field] = value
  } catch (error) {
    console.error('[lpTag] a BEFORE_ENG_DISPLAY hook gave an unreadable look; it is ignored', error)
    return entry
  }
  const hooked = parseEntry(HOOK, changed)
  // No prototype: a field neither gave (`zone`, `name`) must not come from a polluted Object.prototype.
  return dict({ ...entry, ...hooked, look: [...entry.look, ...hooked.look] })
}
