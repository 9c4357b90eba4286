import { copy, dict, hasOwn, own } from '../checks.ts'
import type { Tag } from '../engagement.ts'
import { consented, reportError } from '../engagement.ts'
import { impression, sendReport, type ImpressionType, type ReportSession } from '../monitoring/report.ts'
import type { EngagementResult, OfferEvent } from '../types.ts'
import { parseLook, type CatalogEntry } from './catalog.ts'
import { offerEventData } from './payload.ts'
import { renderOffer, type OfferView, type RenderedOffer } from './render.ts'

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

const DEFAULT_LOOK = { title: 'Questions?', text: 'We are online and happy to help.', button: 'Chat now' }

/** Fills the click URL's placeholders, each URL-encoded; anything but http(s) is not opened. */
export function clickUrl(template: string, values: Record<string, string>): string | undefined {
  // Own keys only: with `in`, `{constructor}` or `{toString}` would put a function's source in the URL.
  const url = template.replace(/\{(\w+)\}/g, (match, name: string) => (hasOwn(values, name) ? encodeURIComponent(values[name]!) : match))
  return /^https?:\/\//i.test(url) ? url : undefined
}

/** Ends the current offer without a visitor decision (new page view, consent withdrawn, replaced). */
export function removeOffer(tag: Tag): void {
  tag.current?.end()
}

/**
 * Shows an available engagement as an offer and runs its lifecycle (contract section 3):
 * START → OFFER_DISPLAY → OFFER_IMPRESSION → OFFER_CLICK | OFFER_DECLINED | OFFER_TIMEOUT →
 * OFFER_REMOVE, each reported to the API where the Report method has an event for it.
 *
 * Every event runs page code that may call anything (`consent(false)`, `newPage`, a new check,
 * remove the offer): each step is set up before the event that announces it, and after each event
 * the offer goes on only while its check (`signal`) is current and the offer has not ended.
 */
export function startOffer(tag: Tag, result: EngagementResult, look: CatalogEntry, signal: AbortSignal): void {
  const details = result.engagementDetails!
  removeOffer(tag)
  if (signal.aborted) return
  const { config, publish } = tag
  // LivePerson's BEFORE_ENG_DISPLAY hook: the page may cancel the offer (`cancel: true`) or change
  // its look; what it gives back is validated like the catalog.
  const asked = own(tag.hooks.run('BEFORE_ENG_DISPLAY', { data: { engagement: copy(details), look: copy({ format: config.format, ...look }), cancel: false } }), 'data')
  if (signal.aborted || own(asked, 'cancel') === true) return
  look = { __proto__: null, ...look, ...parseLook('BEFORE_ENG_DISPLAY hook: look', own(asked, 'look')) } as CatalogEntry
  const format = look.format ?? config.format
  const headless = config.render === 'none'

  let zone: Element | undefined
  if (format === 'embedded' && !headless) {
    const selector = `[data-lp-zone${look.zone ? `="${look.zone}"` : ''}]`
    // The first zone the page draws: a hidden one in page content must not swallow the offer.
    zone = [...document.querySelectorAll(selector)].find((candidate) => candidate.getClientRects().length)
    if (!zone) {
      reportError(publish, { code: 'zone', message: `no visible ${selector} element on the page for engagement ${details.engagementId}` })
      return
    }
  }

  // Safari before 16.4 has no constructable stylesheets, the only styling a strict CSP allows:
  // such a browser gets no offer rather than an unstyled one.
  if (!headless && !('adoptedStyleSheets' in Document.prototype)) {
    publish('LP_TAG', 'ERROR', { code: 'render', message: 'this browser cannot show offers (no constructable stylesheets)' })
    return
  }

  const data = offerEventData(details, result.pageId ?? '', format, look.zone, look.name)
  const session = { vid: result.visitorId!, sid: result.sessionId!, pageId: result.pageId }
  // Impressions go at the end of the task that caused them, together: an accept from an
  // OFFER_DISPLAY listener goes with the display it follows, in order; a consent(false) there
  // stops both (`grant`).
  let queued: ImpressionType[] = []
  const report = (type: ImpressionType) => {
    if (queued.push(type) > 1) return
    void Promise.resolve().then(() => {
      const types = queued
      queued = []
      void sendReport(config, session, types.map((each) => impression(each, details)), tag.grant.signal)
    })
  }
  let rendered: RenderedOffer | undefined
  const stops: (() => void)[] = []
  let ended = false
  let shown = false
  /** Whether to go on after an event: the check still current, the offer still on. */
  const current = () => (signal.aborted && offer.end(), !ended)

  const offer: Offer = {
    data,
    session,
    accept() {
      if (!shown || ended) return false
      offer.end('OFFER_CLICK', 'impAccept')
      // Built after the event: a listener may have withdrawn consent, and then no id leaves.
      const url = consented(tag) && config.clickUrl && clickUrl(config.clickUrl, {
        account: config.account,
        campaignId: String(details.campaignId),
        engagementId: String(details.engagementId),
        contextId: details.contextId,
        vid: session.vid,
        sid: session.sid,
      })
      // `noreferrer`: the chat window learns nothing of the page's URL (its query string included).
      if (url) open(url, '_blank', 'noopener,noreferrer')
      return true
    },
    end(event, type) {
      if (ended) return
      ended = true
      clearTimeout(timer)
      for (const stop of stops) stop()
      if (tag.current === offer) tag.current = undefined
      rendered?.remove()
      if (event) publish('LP_OFFERS', event, data)
      // Consent withdrawn by a listener of that event: the report does not go (`grant`).
      if (type) report(type)
      publish('LP_OFFERS', 'OFFER_REMOVE', data)
    },
  }
  tag.current = offer
  const timer = setTimeout(() => offer.end('OFFER_TIMEOUT', 'impTimeout'), details.validForSeconds * 1000)
  shown = headless
  publish('LP_OFFERS', 'START', data)
  if (headless || !current()) return

  const handlers = { accept: () => void offer.accept(), close: () => offer.end('OFFER_DECLINED', 'impClose') }
  try {
    rendered = renderOffer(String(details.engagementId), { __proto__: null, ...DEFAULT_LOOK, ...look, format } as OfferView, zone, handlers)
  } catch (error) {
    reportError(publish, { code: 'render', message: `engagement ${details.engagementId} could not be shown: ${error}` })
    return offer.end()
  }
  const { host, box } = rendered
  // The page took the offer out of the DOM (a framework re-rendering its root, a script tidying
  // up): it ends like any removal, and the next check may show another.
  const watcher = new MutationObserver(() => host.isConnected || offer.end())
  watcher.observe(document, dict({ childList: true, subtree: true }))
  stops.push(() => watcher.disconnect())
  observeImpression(box)
  shown = true
  report('impDisplay')
  publish('LP_OFFERS', 'OFFER_DISPLAY', data)
  if (!host.isConnected) offer.end()
  current()

  /** An impression: at least half of the offer inside the viewport of a visible document, once. */
  function observeImpression(target: HTMLElement) {
    let halfVisible = false
    const check = () => {
      if (!halfVisible || document.visibilityState !== 'visible' || ended) return
      stop()
      publish('LP_OFFERS', 'OFFER_IMPRESSION', data)
    }
    const observer = new IntersectionObserver(
      ([entry]) => {
        halfVisible = !!entry && entry.intersectionRatio >= 0.5
        check()
      },
      dict({ threshold: 0.5 }),
    )
    observer.observe(target)
    document.addEventListener('visibilitychange', check)
    const stop = () => {
      observer.disconnect()
      document.removeEventListener('visibilitychange', check)
    }
    stops.push(stop)
  }
}
