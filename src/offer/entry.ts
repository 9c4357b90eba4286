import { createLifecycle } from './lifecycle.ts'

// `dist/offer.<hash>.js`: hands the offer's lifecycle to the tag that loaded it (`lpTag._lp`).
try {
  ;(window as unknown as { lpTag: { _lp(name: 'offer', module: typeof createLifecycle): void } }).lpTag._lp('offer', createLifecycle)
} catch (error) {
  console.error('[lpTag] the offer chunk was loaded without the tag', error)
}
