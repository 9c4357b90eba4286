import { boot } from './boot.ts'
import { createLifecycle } from './offer/lifecycle.ts'
import { offerUi } from './offer-ui/ui.ts'

// `dist/tag.full.js`: the same tag with the offer's lifecycle and UI built in, no second script URL.
// The tag never throws into the host page, whatever the page did to the globals it uses.
try {
  boot(window, document, {}, () => ({ prefetch_() {}, offer_: async () => createLifecycle, ui_: async () => offerUi }))
} catch (error) {
  console.error('[lpTag] the tag failed to start', error)
}
