/**
 * A page whose Content-Security-Policy leaves the API out of `connect-src` sees every request fail
 * like a network error. The browser says why only in a violation event: turn the first one for the
 * API into one console line that names the fix.
 */
export function explainBlockedApi(origin: string): void {
  let told = false
  addEventListener('securitypolicyviolation', (event) => {
    if (told || event.effectiveDirective !== 'connect-src' || event.blockedURI.indexOf(origin)) return
    told = true
    console.error(`[lpTag] the page's CSP blocks the API: add ${origin} to connect-src`)
  })
}
