import type { CatalogEntry } from './offer/catalog.ts'
import { reportError } from './events/bus.ts'
import { consented } from './lib/abort.ts'
import { notAvailable, type Tag } from './state.ts'
import { removeOffer, verdict } from './offer/lifecycle.ts'
import { asArray, copy, isId, own, strings } from './lib/checks.ts'
import { clientProperties } from './monitoring/client.ts'
import { engagementBody, methodUrl } from './monitoring/request.ts'
import { sendWithRetry, type Final } from './monitoring/retry.ts'
import { delivered } from './monitoring/report.ts'
import { logAnswer, note } from './lib/log.ts'
import { pageLanguage } from './lib/page.ts'
import { acceptSdes, beforeSubmit } from './sdes/store.ts'
import type { EngagementRequest, EngagementResult } from './types.ts'

declare const __VERSION__: string
declare const __UI_EARLY__: boolean
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'
const UI_EARLY = typeof __UI_EARLY__ === 'boolean' && __UI_EARLY__

const replaced = () => notAvailable({ code: 'aborted', message: 'a newer engagement check replaced this one' })

/** The onEngagement result; validity is the response's, else the catalog's, else 900 s. */
function toResult(final: Extract<Final, { kind: 'ok' }>, catalogValidity = 900): EngagementResult {
  // Every field own, also when absent (see `success` in response.ts).
  const session = { sessionId: final.sid, visitorId: final.vid, pageId: final.pageId, conversation: final.conversation }
  if (final.conversation || !final.offer) return { status: 'NotAvailable', ...session }
  const { validForSeconds = catalogValidity, ...offer } = final.offer
  return { status: 'Available', ...session, engagementDetails: { ...offer, validForSeconds } }
}

/**
 * One engagement check: ids from storage, the request with its retries, the ids saved, the
 * result published. A newer check aborts an older one, so one request is in flight per page.
 * It never rejects: a page calling `getEngagement()` or `newPage()` must not get an unhandled
 * rejection from the tag. `automatic`: the tag asks by itself (a re-check, SDEs to deliver), and
 * the answer changes the offer only as `verdict` says.
 */
export function checkEngagement(tag: Tag, request: EngagementRequest = {}, automatic?: boolean): Promise<EngagementResult> {
  if (!consented(tag)) return Promise.resolve(notAvailable({ code: 'consent', message: 'consent is pending: call lpTag.consent(true) first' }))
  if (!tag.started) return Promise.resolve(notAvailable({ code: 'held', message: 'autoStart is false: call lpTag.start() first' }))
  tag.inflight?.abort()
  const controller = new AbortController()
  tag.inflight = controller
  return check(tag, request, controller.signal, automatic)
    .catch((error) => {
      const failure = { code: 'internal', message: `the engagement check failed: ${error}` }
      reportError(tag.publish, failure)
      return notAvailable(failure)
    })
    .then((result) => {
      if (tag.inflight === controller) tag.inflight = undefined
      // SDEs pushed while it ran go now. After a failure they wait for the next push, newPage or
      // check: the retry policy already spent its pauses, and a replaced check leaves it to the newer.
      if (!result.error) tag.flush()
      // The next re-check counts from this answer; not after a refusal (the request itself is
      // wrong), nor for a check that was replaced (the newer one arms it).
      if (consented(tag) && (!result.error || result.error.code === 'unavailable')) tag.refresh?.arm()
      return result
    })
}

async function check(tag: Tag, request: EngagementRequest, signal: AbortSignal, automatic?: boolean): Promise<EngagementResult> {
  const { config, publish, ids } = tag

  const catalog = tag.catalog()
  const stored = await ids.load()
  // Replaced while the ids were read (20 calls in one tick, three history changes): only the
  // newest check sends its request.
  if (signal.aborted) return replaced()
  // The page's request object is read by own properties: a polluted prototype gives no vid or sid.
  const asked = (field: string) => own(request, field)
  const vid = isId(asked('vid')) ? asked('vid') : stored.vid
  const sid = isId(asked('sid')) ? asked('sid') : stored.sid
  const requested = strings(asked('consumerSections')) ?? []
  const extraSdes = acceptSdes(asArray(asked('engagementAttributes')))
  const client = { ...clientProperties(navigator.userAgent, navigator.maxTouchPoints || 0, VERSION), ...pickAppDetails(asked('appDetails')) }
  // The SDEs no request carried yet (each goes to the session once), back to wait if this fails.
  const taken = tag.sdes.take()
  const body = engagementBody({
    iss: `${config.host}/${config.account}`,
    sub: stored.sub,
    identities: tag.identities.all(),
    client,
    pageUrl: tag.page.url,
    lang: pageLanguage(),
    sections: [...new Set([...tag.page.sections, ...requested])],
    entryPoints: config.entryPoints,
    sdes: beforeSubmit(tag.hooks, [...taken.sdes, ...extraSdes]),
  })
  // A build for measuring the other choice loads the offer UI as the request goes out (README, "Performance").
  if (UI_EARLY && config.render === 'auto') void tag.ui()
  const final = await sendWithRetry(
    (v, s) => methodUrl(config, 'engagement', v, s),
    JSON.stringify(body),
    { vid, sid },
    signal,
    {
      retry: (info) => (note({ retry: info.attempt, delayMs: info.delayMs, fireAt: Date.now() + info.delayMs }), publish('LP_TAG', 'RETRY', info)),
      answer: logAnswer,
      forget: () => void ids.forgetSession(),
    },
  )
  taken.settle(delivered(final))
  if (final.kind === 'aborted') return replaced()
  // This page view got its answer: consent given again or start() need not check once more.
  tag.answered = true

  let result: EngagementResult
  let entry: CatalogEntry | undefined
  if (final.kind === 'ok') {
    // Not awaited: the ids are in memory at once, and the offer need not wait for the disk.
    void ids.save({ vid: final.vid, sid: final.sid, sub: stored.sub })
    // The offer UI loads while the catalog finishes: an offer is likely to show.
    if (final.offer && config.render === 'auto') void tag.ui()
    if (final.offer) entry = (await catalog).get(String(final.offer.engagementId))
    // Replaced while the catalog loaded or the ids were written: this answer shows and reports nothing.
    if (signal.aborted) return replaced()
    result = toResult(final, entry?.validForSeconds)
    if (result.conversation) publish('LP_TAG', 'CONVERSATION', result.conversation)
  } else {
    const error =
      final.kind === 'reject'
        ? { code: 'rejected', message: `the Monitoring API refused the engagement request: ${final.message}` }
        : { code: 'unavailable', message: `the Monitoring API is unavailable: ${final.message}` }
    reportError(publish, error)
    result = notAvailable(error)
  }
  return announce(tag, result, entry, signal, automatic)
}

/**
 * The result to the page and to the offer. The page gets copies (the event, onEngagement, the
 * promise): the tag's own result drives the offer.
 */
function announce(tag: Tag, result: EngagementResult, entry: CatalogEntry | undefined, signal: AbortSignal, automatic?: boolean): EngagementResult {
  tag.publish('LP_TAG', 'ENGAGEMENT', result)
  try {
    own(tag.lpTag, 'onEngagement')?.(copy(result))
  } catch (error) {
    console.error('[lpTag] lpTag.onEngagement threw', error)
  }
  // A listener or onEngagement may have replaced this check (consent(false), newPage, a new check).
  if (signal.aborted) return copy(result)
  // The page asked: what the answer offers shows. The tag asked by itself: see `verdict`.
  const next = automatic ? verdict(tag, result) : result.status === 'Available' ? 'show' : 'keep'
  if (next === 'show') tag.offer(result, entry, signal)
  if (next === 'remove') removeOffer(tag)
  return copy(result)
}

/**
 * The documented `appDetails` fields a page may override: the two enumerations by their values,
 * the versions up to 64 characters. `ipAddress` is never sent.
 */
function pickAppDetails(appDetails: unknown) {
  const picked: Record<string, string> = {}
  for (const [field, allowed] of [['appVersion'], ['deviceFamily', 'DESKTOP TABLET MOBILE'], ['os', 'WINDOWS MAC_OSX LINUX IOS ANDROID'], ['osVersion']]) {
    const value = own(appDetails, field!)
    if (typeof value === 'string' && (allowed ? allowed.split(' ').includes(value) : value && value.length < 65)) picked[field!] = value
  }
  return picked
}
