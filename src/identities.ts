import type { Identity } from './types.ts'

type IdentitySource = Identity | ((callback: (identity: Identity) => void) => void)

function valid(value: unknown): value is Identity {
  const id = value as Identity
  const ok = !!id && typeof id.iss === 'string' && id.acr === 'loa1' && typeof id.sub === 'string' && !!id.sub && id.iss.length + id.sub.length < 2000
  if (!ok) console.warn('[lpTag] identity dropped: it must be {iss, acr: "loa1", sub}')
  return ok
}

/** `lpTag.identities`: authenticated identities, objects or `fn(callback)`; the pre-load array is replayed. */
export function createIdentities() {
  const known: Identity[] = []
  const accept = (value: unknown) => {
    if (valid(value)) known.push({ iss: value.iss, acr: 'loa1', sub: value.sub })
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
    all: () => known.slice(),
  }
}
