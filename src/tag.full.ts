import { boot } from './boot.ts'
import { offerUi } from './offer-ui/ui.ts'

// `dist/tag.full.js`: the same tag with its offer UI built in, no second script URL.
// The tag never throws into the host page, whatever the page did to the globals it uses.
try {
  boot(window, document, () => ({ get: () => () => Promise.resolve(offerUi) }))
} catch (error) {
  console.error('[lpTag] the tag failed to start', error)
}
