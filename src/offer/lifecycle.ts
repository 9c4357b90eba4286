import type { Bus } from '../events/bus.ts'
import { reportError } from '../events/bus.ts'
import { consented } from '../lib/abort.ts'
import { copy, dict, hasOwn, isObject, own } from '../lib/checks.ts'
import type { Endpoint } from '../monitoring/request.ts'
import { impression, sendReport, type ImpressionType, type ReportSession } from '../monitoring/report.ts'
import { pageLanguage } from '../lib/page.ts'
import type { EngagementDetails, EngagementResult, Format, Handoff, OfferEvent } from '../types.ts'
import { parseEntry, type CatalogEntry } from './catalog.ts'
import { offerEventData } from './payload.ts'
import type { Drawn, OfferUi, Place } from './ui.ts'

/** The offer on the page: its events' data and how to end it. */
export interface Offer {
  data: OfferEvent
  /** The session the offer came in, where its reports and SDEs sent meanwhile go. */
  session: ReportSession
  /**
   * Accepts it as the visitor would (the accept button, `rendererStub.click`); false before it
   * shows (drawn, or started on a headless page) or once it ended.
   */
  accept(): boolean
  end(event?: 'OFFER_CLICK' | 'OFFER_DECLINED' | 'OFFER_TIMEOUT', impression?: ImpressionType): void
}

/** An offer between its answer and its start. */
export interface Starting {
  stop: AbortController
  session: ReportSession
}

/** What of the running tag an offer uses. */
export interface OfferContext {
  config: Endpoint & { format: Format; render: 'auto' | 'none'; clickUrl?: string }
  publish: Bus['publish']
  /** LivePerson's `lpTag.hooks`, of which an offer runs BEFORE_ENG_DISPLAY. */
  hooks: { has(name: 'BEFORE_ENG_DISPLAY'): boolean; run<T extends object>(name: 'BEFORE_ENG_DISPLAY', options: T): T }
  /** Consent as it stands: reports go with its signal. */
  grant: AbortController
  /** The offer on the page, if any. */
  current?: Offer
  /**
   * An offer waiting for its UI, with the session its answer came in: aborted when another replaces
   * it or the offer is removed; gone once it runs or cannot.
   */
  starting?: Starting
  /** The offers the visitor accepted or declined on this page view, by `offerKey`. */
  decided: Set<string>
  ui(): Promise<OfferUi | undefined>
}

/** One engagement of one campaign, whatever its revision. */
const offerKey = (offer: { campaignId: unknown; engagementId: unknown }) => `${offer.campaignId}_${offer.engagementId}`

/**
 * What an answer the tag asked for by itself (`data-lp-refresh`, SDEs pushed with no offer on the
 * page) does to the offer: the one the page shows stays as it is (its timeout too) while the API
 * exposes it in the same session; one the visitor accepted or declined on this page view is not
 * shown again; one the API no longer exposes goes. A failed check changes nothing.
 */
export function verdict(tag: OfferContext, result: EngagementResult): 'show' | 'keep' | 'remove' {
  const details = result.engagementDetails
  const { current } = tag
  // In another session (the old one expired) the offer's reports would go nowhere: it starts again.
  if (details && current && offerKey(current.data) === offerKey(details) && current.session.sid === result.sessionId) return 'keep'
  if (details && !tag.decided.has(offerKey(details))) return 'show'
  return result.error ? 'keep' : 'remove'
}

/** Fills the click URL's placeholders, each URL-encoded; anything but http(s) is not opened. */
export function clickUrl(template: string, values: Record<string, string>): string | undefined {
  // Own keys only: with `in`, `{constructor}` or `{toString}` would put a function's source in the URL.
  const url = template.replace(/\{(\w+)\}/g, (match, name: string) => (hasOwn(values, name) ? encodeURIComponent(values[name]!) : match))
  return /^https?:\/\//i.test(url) ? url : undefined
}

/**
 * An optional field the API gave, as text; '' when it gave none. Own fields only: the details are
 * an ordinary object, and a polluted `Object.prototype.language` is not the API's.
 */
const given = (from: object, field: string) => String(own(from, field) ?? '')

/** The click URL of an accepted offer: what the API did not give fills its placeholder with nothing. */
const acceptUrl = (template: string, account: string, details: EngagementDetails, session: ReportSession) =>
  clickUrl(template, {
    account,
    campaignId: String(details.campaignId),
    engagementId: String(details.engagementId),
    contextId: details.contextId,
    vid: session.vid,
    sid: session.sid,
    windowId: given(details, 'windowId'),
    skillId: given(details, 'skillId'),
    language: given(details, 'language'),
    pageId: given(session, 'pageId'),
  })

/**
 * What the page needs to start the accepted conversation (contract section 3, `OFFER_CLICK`): ids
 * as text, as `ConsumerRequestConversation` takes them.
 */
function handoff(details: EngagementDetails, session: ReportSession): Handoff {
  const optional: Partial<Handoff> = {}
  for (const field of ['windowId', 'skillId', 'skillName', 'connectorId'] as const) if (given(details, field)) optional[field] = given(details, field)
  if (given(session, 'pageId')) optional.pageId = given(session, 'pageId')
  return {
    campaignInfo: { campaignId: String(details.campaignId), engagementId: String(details.engagementId) },
    conversationContext: {
      type: 'SharkContext',
      visitorId: session.vid,
      sessionId: session.sid,
      interactionContextId: details.contextId,
      lang: given(details, 'language') || pageLanguage() || 'en-US',
    },
    ...optional,
  }
}

/** Ends the current offer without a visitor decision (new page view, consent withdrawn, replaced). */
export function removeOffer(tag: OfferContext): void {
  tag.starting?.stop.abort()
  tag.starting = undefined
  tag.current?.end()
}

const HOOK = 'BEFORE_ENG_DISPLAY hook: look'

/**
 * LivePerson's BEFORE_ENG_DISPLAY hook: the page may cancel the offer (`cancel: true`, then
 * undefined) or change its look. What a hook changed is validated like the catalog and drawn over
 * it; what it passed through unchanged still counts as the catalog's (its console lines name it).
 */
function askHooks(tag: OfferContext, details: EngagementDetails, entry: CatalogEntry): CatalogEntry | undefined {
  if (!tag.hooks.has('BEFORE_ENG_DISPLAY')) return entry
  const given: Record<string, unknown> = dict({ format: entry.format ?? tag.config.format })
  for (const [, look] of entry.look) if (isObject(look)) Object.assign(given, look)
  const asked = own(tag.hooks.run('BEFORE_ENG_DISPLAY', { data: { engagement: copy(details), look: copy(given), cancel: false } }), 'data')
  if (own(asked, 'cancel') === true) return
  const changed: Record<string, unknown> = {}
  try {
    const look = own(asked, 'look')
    if (isObject(look)) for (const [field, value] of Object.entries(look)) if (value !== given[field]) changed[field] = value
  } catch (error) {
    // A look that cannot be read (a throwing getter, a revoked Proxy) counts as no hook result.
    console.error('[lpTag] a BEFORE_ENG_DISPLAY hook gave an unreadable look; it is ignored', error)
    return entry
  }
  const hooked = parseEntry(HOOK, changed)
  // No prototype: a field neither gave (`zone`, `name`) must not come from a polluted Object.prototype.
  return dict({ ...entry, ...hooked, look: [...entry.look, ...hooked.look] })
}

/**
 * Shows an available engagement as an offer (contract section 3): on a headless page at once, else
 * once the offer UI is there and has a place for its format. Every await is a moment for page code
 * to replace the check (`signal`): then nothing shows.
 */
export async function startOffer(tag: OfferContext, result: EngagementResult, catalogEntry: CatalogEntry | undefined, signal: AbortSignal): Promise<void> {
  removeOffer(tag)
  // `newPage` or `consent(false)` while the UI loads: this offer never starts. SDEs sent meanwhile
  // go to its session, as once it shows: a new check for them would make this offer stale.
  const starting: Starting = (tag.starting = { stop: new AbortController(), session: { vid: result.visitorId!, sid: result.sessionId!, pageId: result.pageId } })
  try {
    const details = result.engagementDetails!
    // Valid from the answer on: an offer whose UI took longer than that never shows.
    const expires = Date.now() + details.validForSeconds * 1000
    const headless = tag.config.render === 'none'
    const ui = headless ? undefined : await tag.ui()
    const stopped = () => signal.aborted || starting.stop.signal.aborted
    if (stopped() || (!headless && !ui)) return
    const entry = askHooks(tag, details, catalogEntry ?? parseEntry('', undefined))
    if (!entry || stopped()) return
    if (Date.now() >= expires) return console.warn(`[lpTag] engagement ${details.engagementId} is not shown: its ${details.validForSeconds} s of validity ran out before its UI loaded`)
    const format = entry.format ?? tag.config.format
    const place = ui?.place(format, entry.zone)
    if (place && 'code' in place) return reportError(tag.publish, { code: place.code, message: `${place.message} for engagement ${details.engagementId}` })
    runOffer(tag, result, entry, format, place, starting.session, signal, expires)
  } finally {
    if (tag.starting === starting) tag.starting = undefined
  }
}

/**
 * Impressions go at the end of the task that caused them, together: an accept from an
 * OFFER_DISPLAY listener goes with the display it follows, in order; a consent(false) there stops
 * both (`grant`).
 */
function reporter(tag: OfferContext, session: ReportSession, details: EngagementDetails) {
  let queued: ImpressionType[] = []
  return (type: ImpressionType) => {
    if (queued.push(type) > 1) return
    void Promise.resolve().then(() => {
      const types = queued
      queued = []
      void sendReport(tag.config, session, types.map((each) => impression(each, details)), tag.grant.signal)
    })
  }
}

/**
 * The offer's lifecycle: START → OFFER_DISPLAY → OFFER_IMPRESSION → OFFER_CLICK | OFFER_DECLINED |
 * OFFER_TIMEOUT → OFFER_REMOVE, each reported to the API where the Report method has an event for
 * it. `place` is where it is drawn; none on a headless page.
 *
 * Every event runs page code that may call anything (`consent(false)`, `newPage`, a new check,
 * remove the offer): each step is set up before the event that announces it, and after each event
 * the offer goes on only while its check (`signal`) is current and the offer has not ended.
 */
function runOffer(tag: OfferContext, result: EngagementResult, entry: CatalogEntry, format: Format, place: Place | undefined, session: ReportSession, signal: AbortSignal, expires: number): void {
  const details = result.engagementDetails!
  const { config, publish } = tag
  const data = offerEventData(details, result.pageId ?? '', format, entry.zone, entry.name)
  const report = reporter(tag, session, details)
  let drawn: Drawn | undefined
  let ended = false
  let shown = !place
  /** Whether to go on after an event: the check still current, the offer still on. */
  const current = () => (signal.aborted && offer.end(), !ended)

  const offer: Offer = {
    data,
    session,
    accept() {
      if (!shown || ended) return false
      offer.end('OFFER_CLICK', 'impAccept')
      // Built after the event: a listener may have withdrawn consent, and then no id leaves.
      const url = consented(tag) && config.clickUrl && acceptUrl(config.clickUrl, config.account, details, session)
      // `noreferrer`: the chat window learns nothing of the page's URL (its query string included).
      if (url) open(url, '_blank', 'noopener,noreferrer')
      return true
    },
    end(event, type) {
      if (ended) return
      ended = true
      clearTimeout(timer)
      if (tag.current === offer) tag.current = undefined
      if (event === 'OFFER_CLICK' || event === 'OFFER_DECLINED') tag.decided.add(offerKey(details))
      drawn?.remove()
      if (event) publish('LP_OFFERS', event, event === 'OFFER_CLICK' ? { ...data, handoff: handoff(details, session) } : data)
      // Consent withdrawn by a listener of that event: the report does not go (`grant`).
      if (type) report(type)
      publish('LP_OFFERS', 'OFFER_REMOVE', data)
    },
  }
  tag.current = offer
  const timer = setTimeout(() => offer.end('OFFER_TIMEOUT', 'impTimeout'), expires - Date.now())
  publish('LP_OFFERS', 'START', data)
  if (!place || !current()) return

  try {
    drawn = place.draw({
      id: String(details.engagementId),
      looks: entry.look,
      accept: () => void offer.accept(),
      close: () => offer.end('OFFER_DECLINED', 'impClose'),
      seen: () => ended || publish('LP_OFFERS', 'OFFER_IMPRESSION', data),
      removed: () => offer.end(),
    })
  } catch (error) {
    reportError(publish, { code: 'render', message: `engagement ${details.engagementId} could not be shown: ${error}` })
    return offer.end()
  }
  shown = true
  report('impDisplay')
  publish('LP_OFFERS', 'OFFER_DISPLAY', data)
  // A listener took the offer out of the DOM: it ends now, before anything else is published.
  if (!drawn.host.isConnected) offer.end()
  current()
}
