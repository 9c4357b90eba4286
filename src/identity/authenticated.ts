import { own } from '../lib/checks.ts'
import type { Identity } from '../types.ts'

type IdentitySource = Identity | ((callback: (identity: Identity) => void) => void)

/** Every request carries them all: a page pushing one per click must not grow every request without end. */
const MAX_IDENTITIES = 10

/** `lpTag.identities`: authenticated identities, objects or `fn(callback)`; the pre-load array is replayed. */
export function createIdentities() {
  const known: Identity[] = []
  let full = false
  const accept = (value: unknown) => {
    const iss = own(value, 'iss')
    const sub = own(value, 'sub')
    if (!(typeof iss === 'string' && own(value, 'acr') === 'loa1' && typeof sub === 'string' && sub && iss.length + sub.length < 2000))
      return console.warn('[lpTag] identity dropped: it must be {iss, acr: "loa1", sub}')
    // The same identity pushed again (each SPA view, each login callback) is already there.
    if (known.some((k) => k.iss === iss && k.sub === sub)) return
    if (known.length < MAX_IDENTITIES) known.push({ iss, acr: 'loa1', sub })
    else if (!full) {
      full = true
      console.warn(`[lpTag] identities after the first ${MAX_IDENTITIES} are dropped`)
    }
  }
  return {
    push(...sources: IdentitySource[]) {
      for (const source of sources) {
        try {
          if (typeof source === 'function') source(accept)
          else accept(source)
        } catch (error) {
          console.error('[lpTag] an identity function threw', error)
        }
      }
      return known.length
    },
    all_: () => known.slice(),
  }
}
