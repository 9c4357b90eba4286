import { dict } from '../lib/checks.ts'
import type { RetryInfo } from '../types.ts'
import { readAnswer, type Outcome } from './response.ts'

/** Pauses before retries 1-4 (reference: monitoring-api-engagement, Retry Policy Recommendation). */
const RETRY_PAUSES_MS = [3000, 10_000, 30_000, 90_000] as const
const ATTEMPT_TIMEOUT_MS = 10_000

export type Final =
  | Extract<Outcome, { kind: 'ok' | 'reject' }>
  | { kind: 'unavailable'; message: string }
  | { kind: 'aborted' }

export interface RetryHooks {
  retry(info: RetryInfo): void
  /** The API called the stored vid/sid invalid (404/37, 404/39): they must be forgotten. */
  forget(): void
  /** Each attempt's answer, for the debug log. */
  answer?(url: string, status: number, ms: number, text: string): void
}


/** Resolves after `ms`, or early when `signal` aborts (the other one then resolves nothing). */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms)
    signal.addEventListener('abort', resolve)
  })

/**
 * One POST with its own time-out; status 0 when the network failed or the time-out hit. A report
 * goes as `PUT` (the service's CORS allows no PUT) and outlives the page (an accept that navigates).
 */
async function attempt(url: string, body: string, signal: AbortSignal, report: boolean) {
  const controller = new AbortController()
  const abort = () => controller.abort()
  const timer = setTimeout(abort, ATTEMPT_TIMEOUT_MS)
  signal.addEventListener('abort', abort, dict({ once: true }))
  try {
    // No prototype: fetch reads every RequestInit member through the prototype chain, so a
    // polluted `mode`, `integrity` or `referrer` would change the request.
    const response = await fetch(url, {
      __proto__: null,
      method: 'POST',
      headers: report ? { 'Content-Type': 'application/json', 'X-HTTP-Method-Override': 'PUT' } : { 'Content-Type': 'application/json' },
      body,
      credentials: 'omit',
      // The page's query string and fragment stay on the page, whatever its Referrer-Policy.
      referrerPolicy: 'strict-origin',
      // A keepalive body over 64 KiB (all such requests in flight together) is refused outright;
      // a larger report goes as a plain request. UTF-8 takes at most 3 bytes per UTF-16 unit.
      keepalive: report && body.length < 21e3,
      signal: controller.signal,
    } as RequestInit)
    return { status: response.status, text: await response.text() }
  } catch {
    return { status: 0, text: '' }
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}

/**
 * Sends one Monitoring API call and follows the documented retry policy (contract section 5):
 * at most 4 retries after 3, 10, 30 and 90 s for 5xx, network errors, time-outs, malformed 2xx and
 * "Loading account" (whose vid the retry carries); 404/37 and 404/39 forget vid/sid and send once
 * more at once; any other 4xx is final.
 */
export async function sendWithRetry(
  url: (vid?: string, sid?: string) => string,
  body: string,
  ids: { vid?: string; sid?: string },
  signal: AbortSignal,
  hooks: RetryHooks,
  report = false,
): Promise<Final> {
  let { vid, sid } = ids
  let retries = 0
  let forgotten = false
  for (;;) {
    // Aborted before its first attempt or during a pause: nothing more is sent.
    if (signal.aborted) return { kind: 'aborted' }
    const at = Date.now()
    const href = url(vid, sid)
    const { status, text } = await attempt(href, body, signal, report)
    hooks.answer?.(href, status, Date.now() - at, text)
    if (signal.aborted) return { kind: 'aborted' }
    const outcome = readAnswer(status, text)
    if (outcome.kind === 'ok' || outcome.kind === 'reject') return outcome
    if (outcome.kind === 'forget') {
      if (forgotten) return { kind: 'reject', message: `HTTP ${status}: the API refused a fresh visitor` }
      forgotten = true
      vid = sid = undefined
      hooks.forget()
      continue
    }
    if (outcome.kind === 'loading' && outcome.vid) vid = outcome.vid
    // Past the table's end, an index would read Object.prototype: the length decides.
    const delayMs = RETRY_PAUSES_MS[retries]!
    if (retries === RETRY_PAUSES_MS.length) {
      return { kind: 'unavailable', message: `no answer from the API after ${retries + 1} attempts (last status ${status})` }
    }
    retries++
    hooks.retry({ attempt: retries, delayMs, status })
    await pause(delayMs, signal)
  }
}
