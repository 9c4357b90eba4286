import { offerUi } from './ui.ts'

// `dist/offer-ui.<hash>.js`: hands the offer UI to the tag that loaded it (`lpTag._lp`).
try {
  ;(window as unknown as { lpTag: { _lp(name: 'ui', ui: typeof offerUi): void } }).lpTag._lp('ui', offerUi)
} catch (error) {
  console.error('[lpTag] the offer UI was loaded without the tag', error)
}
