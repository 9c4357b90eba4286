import { boot } from './boot.ts'
import { chunksBeside } from './lib/scripts.ts'

/** The offer chunks' file names, with their content hashes, and their Subresource Integrity hashes (set by build.mjs). */
declare const __OFFER_FILE__: string
declare const __OFFER_SRI__: string
declare const __UI_FILE__: string
declare const __UI_SRI__: string

// `dist/tag.js`: the offer's lifecycle and UI come from chunks beside this script, fetched once the
// first request has left. The tag never throws into the host page, whatever the page did to the
// globals it uses.
try {
  boot(window, document, { offer: [__OFFER_FILE__, __OFFER_SRI__], ui: [__UI_FILE__, __UI_SRI__] }, chunksBeside)
} catch (error) {
  console.error('[lpTag] the tag failed to start', error)
}
