import { dict } from '../lib/checks.ts'

const ATTEMPT_TIMEOUT_MS = 10_000

/**
 * One POST to the Monitoring API with its own time-out: the answer's status and text, status 0
 * when the network failed, the time-out hit or `signal` aborted it. A report goes as `PUT` (the
 * service's CORS allows no PUT) and outlives the page (an accept that navigates away still counts).
 */
export async function attempt(url: string, body: string, report: boolean, signal: AbortSignal): Promise<[status: number, text: string]> {
  const controller = new AbortController()
  const abort = () => controller.abort()
  const timer = setTimeout(abort, ATTEMPT_TIMEOUT_MS)
  signal.addEventListener('abort', abort)
  try {
    // No prototype: fetch reads every RequestInit member through the prototype chain, so a
    // polluted `mode`, `integrity` or `referrer` would change the request.
    const response = await fetch(
      url,
      dict({
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
      } as RequestInit),
    )
    return [response.status, await response.text()]
  } catch {
    return [0, '']
  } finally {
    clearTimeout(timer)
  }
}
