/** What the debug panel reads of the tag (`lpTag._debugPort`); the panel adds `show`. */
export interface DebugPort {
  show?: () => void
  [member: string]: unknown
}

/**
 * `lpTag.debug()`: loads the panel from `url` (fixed when the tag was evaluated) by `load`, or
 * shows it again once it is in. A failed load may be tried again (the network came back, the CSP
 * was fixed).
 */
export function debugOpener(url: string | undefined, load: (url: string) => Promise<void>, port: DebugPort): () => void {
  let loading = false
  return () => {
    // A second call (the bookmarklet clicked again) shows the panel if it was closed; a panel the
    // page took out of the DOM is loaded again.
    if (port.show) return port.show()
    if (!url) return console.error('[lpTag] the debug panel cannot load: tag.js must come from a <script> with an absolute src')
    if (loading) return
    loading = true
    load(url).then(
      () => (loading = false),
      (why: unknown) => {
        loading = false
        console.error(`[lpTag] the debug panel could not load (${why}): ${url} not found, not this build's bytes (integrity; the CDN must send Access-Control-Allow-Origin), or blocked by the CSP (it needs script-src ${new URL(url).origin} and trusted-types lp-tag)`)
      },
    )
  }
}
