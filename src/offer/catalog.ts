import { hasOwn, isName, isNumericId, isObject, isValidity, NAME_RULE } from '../lib/checks.ts'
import type { Format } from '../types.ts'
import { FORMATS } from './payload.ts'

/**
 * What the tag itself needs of a catalog entry (contract section 6), validated: the fields that
 * go into events, pick a zone or time an offer out. The texts and the accent are the offer UI's
 * business: it checks them in `look`, as given, when it draws the offer.
 */
export interface CatalogEntry {
  format?: Format
  name?: string
  zone?: string
  validForSeconds?: number
  /** The entry as the catalog gave it, and where a console line about a field says it came from. */
  look: [from: string, look: unknown][]
}

export type Catalog = Map<string, CatalogEntry>

const FORMAT_NAMES = Object.keys(FORMATS) as Format[]

/** Each field's check and the rule a console line gives when it fails. */
const FIELDS: Record<string, [check: (value: unknown) => unknown, rule: string]> = {
  format: [(value) => FORMAT_NAMES.find((name) => name === value || FORMATS[name][0] === value), `one of ${FORMAT_NAMES.join(' ')} or its engagementType number`],
  name: [(value) => typeof value === 'string' && value.trim() && value.length <= 100 && !/[\0-\x08\x0b-\x1f\x7f]/.test(value) && value, 'text of 1-100 characters'],
  zone: [(value) => isName(value) && value, NAME_RULE],
  validForSeconds: [(value) => isValidity(value) && value, 'seconds, 1-86400'],
}

/**
 * One entry, from the catalog or a `BEFORE_ENG_DISPLAY` hook. `from` names it in the console line
 * of a wrong field (`engagement catalog 3562981110`).
 */
export function parseEntry(from: string, raw: unknown): CatalogEntry {
  // No prototype: a field the catalog leaves out must not come from a polluted Object.prototype.
  const entry = { __proto__: null, look: [[from, raw]] } as unknown as CatalogEntry
  if (!isObject(raw)) return entry
  for (const [field, value] of Object.entries(raw)) {
    // Own keys only: `in` would also find Object.prototype's `constructor`, `toString`, `__proto__`.
    if (!hasOwn(FIELDS, field)) continue
    const [check, rule] = FIELDS[field]!
    const valid = check(value)
    if (valid) (entry as unknown as Record<string, unknown>)[field] = valid
    else console.warn(`[lpTag] ${from}.${field} ignored: ${rule}`)
  }
  return entry
}

/** Reads a catalog object: engagement id → entry. Unknown fields are ignored, wrong ones warned about. */
function parseCatalog(raw: unknown): Catalog {
  const catalog: Catalog = new Map()
  if (isObject(raw)) for (const [id, value] of Object.entries(raw)) if (isNumericId(id)) catalog.set(id, parseEntry(`engagement catalog ${id}`, value))
  return catalog
}

/**
 * The catalog the brand named: the configured URL (from the tag's script or the pre-load object),
 * else the pre-load object `lpTag.engagements`; only when neither names one, an inline
 * `<script type="application/json" data-lp-engagements>`, which page content could also hold (a
 * comment must not replace the brand's catalog). Loaded with the first check, so that it is ready
 * by the time the answer arrives. A catalog that cannot be had means default looks, not no offer.
 */
export async function loadCatalog(url: string | undefined, preload: unknown): Promise<Catalog> {
  try {
    if (url) {
      // A catalog server that hangs must not hold the offer back for ever.
      const response = await fetch(url, { __proto__: null, credentials: 'omit', referrerPolicy: 'strict-origin', signal: AbortSignal.timeout?.(10_000) } as RequestInit)
      if (!response.ok) throw new Error(`${url} answered ${response.status}`)
      return parseCatalog(JSON.parse(await response.text()))
    }
    if (preload && typeof preload === 'object') return parseCatalog(preload)
    const inline = document.querySelector('script[type="application/json"][data-lp-engagements]')
    if (inline) return parseCatalog(JSON.parse(inline.textContent ?? ''))
  } catch (error) {
    console.warn(`[lpTag] engagement catalog unreadable (${error}); offers use the default look`)
  }
  return new Map()
}
