import type { TagConfig } from './config/resolve.ts'
import type { Catalog, CatalogEntry } from './offer/catalog.ts'
import type { Offer } from './offer/lifecycle.ts'
import { asArray, isId, strings } from './checks.ts'
import { clientProperties } from './device.ts'
import type { IdentityStore } from './identity.ts'
import { engagementBody, methodUrl } from './monitoring/request.ts'
import { sendWithRetry, type Final } from './monitoring/retry.ts'
import { logAnswer, note } from './debuglog.ts'
import { acceptSdes, type SdeStore } from './sdes/store.ts'
import type { EngagementRequest, EngagementResult, Identity, LpEvents, LpTag, TagError } from './types.ts'

declare const __VERSION__: string
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'

/** The running tag: its configuration and the state of the current page view. */
export interface Tag {
  config: TagConfig
  bus: LpEvents
  ids: IdentityStore
  sdes: SdeStore
  identities: { all(): Identity[] }
  lpTag: Partial<LpTag>
  /** The page view's URL and sections (`newPage` changes them). */
  page: { url: string; sections: string[] }
  consented: boolean
  inflight?: AbortController
  /** The brand's engagement catalog, loaded once, in parallel with the first request. */
  catalog(): Promise<Catalog>
  /** The offer on the page, if any. */
  current?: Offer
  /** Called with every available engagement: the offer lifecycle takes it from here. */
  offer(result: EngagementResult, look: CatalogEntry): void
}

/** Publishes `LP_TAG`/`ERROR` and logs it: the one console line an integrator sees. */
export function reportError(bus: LpEvents, error: TagError): void {
  console.error(`[lpTag] ${error.message}`)
  bus.trigger('LP_TAG', 'ERROR', error)
}

const notAvailable = (error: TagError): EngagementResult => ({ status: 'NotAvailable', error })

/** The onEngagement result; validity is the response's, else the catalog's, else 900 s. */
function toResult(final: Extract<Final, { kind: 'ok' }>, catalogValidity = 900): EngagementResult {
  const session = { sessionId: final.sid, visitorId: final.vid, ...(final.pageId ? { pageId: final.pageId } : {}) }
  if (final.conversation || !final.offer) {
    return { status: 'NotAvailable', ...session, ...(final.conversation ? { conversation: final.conversation } : {}) }
  }
  const { validForSeconds = catalogValidity, ...offer } = final.offer
  return { status: 'Available', ...session, engagementDetails: { ...offer, validForSeconds } }
}

/**
 * One engagement check: ids from storage, the request with its retries, the ids saved, the
 * result published. A newer check aborts an older one, so one request is in flight per page.
 * It never rejects: a page calling `getEngagement()` or `newPage()` must not get an unhandled
 * rejection from the tag.
 */
export function checkEngagement(tag: Tag, request: EngagementRequest = {}): Promise<EngagementResult> {
  return check(tag, request).catch((error) => {
    const failure = { code: 'internal', message: `the engagement check failed: ${error}` }
    reportError(tag.bus, failure)
    return notAvailable(failure)
  })
}

async function check(tag: Tag, request: EngagementRequest): Promise<EngagementResult> {
  if (!tag.consented) return notAvailable({ code: 'consent', message: 'consent is pending: call lpTag.consent(true) first' })
  tag.inflight?.abort()
  const controller = new AbortController()
  tag.inflight = controller
  const { config, bus, ids } = tag

  const catalog = tag.catalog()
  const stored = await ids.load()
  const vid = isId(request.vid) ? request.vid : stored.vid
  const sid = isId(request.sid) ? request.sid : stored.sid
  const requested = strings(request.consumerSections) ?? []
  const extraSdes = acceptSdes(asArray(request.engagementAttributes))
  const client = { ...clientProperties(navigator.userAgent, navigator.maxTouchPoints || 0, VERSION), ...pickAppDetails(request) }
  const body = engagementBody({
    iss: `${config.host}/${config.account}`,
    sub: stored.sub,
    identities: tag.identities.all(),
    client,
    pageUrl: tag.page.url,
    lang: document.documentElement.lang || undefined,
    sections: [...new Set([...tag.page.sections, ...requested])],
    entryPoints: config.entryPoints,
    sdes: [...tag.sdes.all(), ...extraSdes],
  })
  const final = await sendWithRetry(
    (v, s) => methodUrl(config, 'engagement', v, s),
    JSON.stringify(body),
    { vid, sid },
    controller.signal,
    {
      retry: (info) => (note({ retry: info.attempt, delayMs: info.delayMs, fireAt: Date.now() + info.delayMs }), bus.trigger('LP_TAG', 'RETRY', info)),
      answer: logAnswer,
      forget: () => void ids.forgetSession(),
    },
  )
  if (final.kind === 'aborted') return notAvailable({ code: 'aborted', message: 'a newer engagement check replaced this one' })
  if (tag.inflight === controller) tag.inflight = undefined

  let result: EngagementResult
  let look: CatalogEntry = {}
  if (final.kind === 'ok') {
    await ids.save({ vid: final.vid, sid: final.sid, sub: stored.sub })
    if (final.offer) look = (await catalog).get(String(final.offer.engagementId)) ?? {}
    result = toResult(final, look.validForSeconds)
    if (result.conversation) bus.trigger('LP_TAG', 'CONVERSATION', result.conversation)
  } else {
    const error =
      final.kind === 'reject'
        ? { code: 'rejected', message: `the Monitoring API refused the engagement request: ${final.message}` }
        : { code: 'unavailable', message: `the Monitoring API is unavailable: ${final.message}` }
    reportError(bus, error)
    result = notAvailable(error)
  }
  bus.trigger('LP_TAG', 'ENGAGEMENT', result)
  try {
    tag.lpTag.onEngagement?.(result)
  } catch (error) {
    console.error('[lpTag] lpTag.onEngagement threw', error)
  }
  if (result.status === 'Available') tag.offer(result, look)
  return result
}

/** The documented `appDetails` fields a page may override, with their allowed values; `ipAddress` is never sent. */
const APP_DETAILS: Record<string, RegExp> = {
  appVersion: /^.{1,99}$/,
  deviceFamily: /^(DESKTOP|TABLET|MOBILE)$/,
  os: /^(WINDOWS|MAC_OSX|LINUX|IOS|ANDROID)$/,
  osVersion: /^.{1,49}$/,
}

function pickAppDetails({ appDetails }: EngagementRequest) {
  const picked: Record<string, string> = {}
  for (const [field, allowed] of Object.entries(APP_DETAILS)) {
    const value = (appDetails as Record<string, unknown> | undefined)?.[field]
    if (typeof value === 'string' && allowed.test(value)) picked[field] = value
  }
  return picked
}
