import { boot } from './boot.ts'

// The tag never throws into the host page, whatever the page did to the globals it uses.
try {
  boot()
} catch (error) {
  console.error('[lpTag] the tag failed to start', error)
}
