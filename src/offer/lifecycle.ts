import { hasOwn } from '../checks.ts'
import type { Tag } from '../engagement.ts'
import { reportError } from '../engagement.ts'
import { impression, sendReport, type ImpressionType, type ReportSession } from '../monitoring/report.ts'
import type { EngagementResult, OfferEvent } from '../types.ts'
import type { CatalogEntry } from './catalog.ts'
import { offerEventData } from './payload.ts'
import { renderOffer, type OfferView, type RenderedOffer } from './render.ts'

/** The offer on the page: its events' data and how to end it. */
export interface Offer {
  data: OfferEvent
  /** The session the offer came in, where its reports and SDEs sent meanwhile go. */
  session: ReportSession
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
 */
export function startOffer(tag: Tag, result: EngagementResult, look: CatalogEntry): void {
  const details = result.engagementDetails!
  removeOffer(tag)
  const { config, publish } = tag
  const format = look.format ?? config.format
  const headless = config.render === 'none'

  let zone: Element | null = null
  if (format === 'embedded' && !headless) {
    const selector = `[data-lp-zone${look.zone ? `="${look.zone}"` : ''}]`
    zone = document.querySelector(selector)
    if (!zone) {
      reportError(publish, { code: 'zone', message: `no ${selector} element on the page for engagement ${details.engagementId}` })
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
  const report = (type: ImpressionType) => sendReport(config, session, [impression(type, details)])
  let rendered: RenderedOffer | undefined
  let stopObserving = () => {}
  let stopWatching = () => {}
  let ended = false

  const offer: Offer = {
    data,
    session,
    end(event, type) {
      if (ended) return
      ended = true
      clearTimeout(timer)
      stopObserving()
      stopWatching()
      if (tag.current === offer) tag.current = undefined
      if (event) publish('LP_OFFERS', event, data)
      if (type) report(type)
      rendered?.remove()
      publish('LP_OFFERS', 'OFFER_REMOVE', data)
    },
  }
  tag.current = offer
  publish('LP_OFFERS', 'START', data)
  const timer = setTimeout(() => offer.end('OFFER_TIMEOUT', 'impTimeout'), details.validForSeconds * 1000)
  if (headless || ended) return

  const handlers = {
    accept() {
      const url = config.clickUrl && clickUrl(config.clickUrl, {
        account: config.account,
        campaignId: String(details.campaignId),
        engagementId: String(details.engagementId),
        contextId: details.contextId,
        vid: session.vid,
        sid: session.sid,
      })
      offer.end('OFFER_CLICK', 'impAccept')
      if (url) open(url, '_blank', 'noopener')
    },
    close: () => offer.end('OFFER_DECLINED', 'impClose'),
  }
  try {
    rendered = renderOffer(String(details.engagementId), { __proto__: null, ...DEFAULT_LOOK, ...look, format } as OfferView, zone, handlers)
  } catch (error) {
    reportError(publish, { code: 'render', message: `engagement ${details.engagementId} could not be shown: ${error}` })
    return offer.end()
  }
  publish('LP_OFFERS', 'OFFER_DISPLAY', data)
  report('impDisplay')
  observeImpression(rendered.box)
  // The page took the offer out of the DOM (a framework re-rendering its root, a script tidying
  // up): it ends like any removal, and the next check may show another.
  const { host } = rendered
  const watcher = new MutationObserver(() => host.isConnected || offer.end())
  watcher.observe(document, { childList: true, subtree: true })
  stopWatching = () => watcher.disconnect()

  /** An impression: at least half of the offer inside the viewport of a visible document, once. */
  function observeImpression(box: HTMLElement) {
    let halfVisible = false
    const check = () => {
      if (!halfVisible || document.visibilityState !== 'visible' || ended) return
      stopObserving()
      publish('LP_OFFERS', 'OFFER_IMPRESSION', data)
    }
    const observer = new IntersectionObserver(
      ([entry]) => {
        halfVisible = !!entry && entry.intersectionRatio >= 0.5
        check()
      },
      { threshold: 0.5 },
    )
    observer.observe(box)
    document.addEventListener('visibilitychange', check)
    stopObserving = () => {
      observer.disconnect()
      document.removeEventListener('visibilitychange', check)
    }
  }
}
