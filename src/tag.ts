import { boot } from './boot.ts'
import { besideScript } from './lib/page.ts'
import { uiFromChunk } from './offer/ui.ts'

/** The offer UI chunk's file name, with its content hash, and its Subresource Integrity hash (set by build.mjs). */
declare const __UI_FILE__: string
declare const __UI_SRI__: string

// `dist/tag.js`: the offer UI comes from its chunk beside this script, only when an offer may show.
// The tag never throws into the host page, whatever the page did to the globals it uses.
try {
  boot(window, document, (lpTag, script) => {
    const url = besideScript(script, __UI_FILE__)
    return { url, integrity: __UI_SRI__, get: (load) => uiFromChunk(lpTag, url, load) }
  })
} catch (error) {
  console.error('[lpTag] the tag failed to start', error)
}
