import type { Load } from '../lib/scripts.ts'

/** What the debug panel reads of the tag (`lpTag._debugPort`); the panel adds `show`. */
export interface DebugPort {
  show?: () => void
  [member: string]: unknown
}

/**
 * `lpTag.debug()`: loads the panel (`debug.js`, beside the tag), or shows it again once it is in.
 * A failed load may be tried again (the network came back, the CSP was fixed).
 */
export function debugOpener(load: Load, port: DebugPort): () => void {
  let loading = false
  return () => {
    // A second call (the bookmarklet clicked again) shows the panel if it was closed; a panel the
    // page took out of the DOM is loaded again.
    if (port.show) return port.show()
    if (loading) return
    loading = true
    load('debug').then(
      () => (loading = false),
      (why: Error) => {
        loading = false
        console.error(`[lpTag] the debug panel ${/^tag\.js/.test(why.message) ? 'cannot' : 'could not'} load: ${why.message}`)
      },
    )
  }
}
