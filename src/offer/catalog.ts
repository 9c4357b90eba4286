import { hasOwn, isName, isNumericId, isObject, isValidity, NAME_RULE } from '../checks.ts'
import { FORMATS, type Format } from './payload.ts'

/** How one engagement looks, from the brand's catalog (contract section 6), validated. */
export interface CatalogEntry {
  format?: Format
  name?: string
  title?: string
  text?: string
  button?: string
  zone?: string
  validForSeconds?: number
  accent?: string
}

export type Catalog = Map<string, CatalogEntry>

const FORMAT_NAMES = Object.keys(FORMATS) as Format[]
const TEXT_LIMITS: Record<string, number> = { name: 100, title: 80, text: 300, button: 40 }

/** A text field: a string without control characters, within its limit. */
const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max && !/[\0-\x08\x0b-\x1f\x7f]/.test(value)

/**
 * One look, validated field by field: from the catalog, or from a `BEFORE_ENG_DISPLAY` hook.
 * `from` names it in the console line of a wrong field (`engagement catalog 3562981110`).
 */
export function parseLook(from: string, raw: unknown): CatalogEntry {
  // No prototype: a look the catalog leaves out must not come from a polluted Object.prototype.
  const clean = { __proto__: null } as CatalogEntry
  if (!raw || typeof raw !== 'object') return clean
  const warn = (field: string, rule: string) => console.warn(`[lpTag] ${from}.${field} ignored: ${rule}`)
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    // Own keys only: `in` would also find Object.prototype's `constructor`, `toString`, `__proto__`…
    // and warn about them as text fields, where the contract says unknown fields are ignored.
    if (hasOwn(TEXT_LIMITS, field)) {
      if (isText(value, TEXT_LIMITS[field]!)) clean[field as 'name'] = value
      else warn(field, `text of 1-${TEXT_LIMITS[field]} characters`)
    } else if (field === 'format') {
      const format = FORMAT_NAMES.find((name) => name === value || FORMATS[name][0] === value)
      if (format) clean.format = format
      else warn(field, `one of ${FORMAT_NAMES.join(' ')} or its engagementType number`)
    } else if (field === 'zone') {
      if (isName(value)) clean.zone = value
      else warn(field, NAME_RULE)
    } else if (field === 'validForSeconds') {
      if (isValidity(value)) clean.validForSeconds = value
      else warn(field, 'seconds, 1-86400')
    } else if (field === 'accent') {
      if (typeof value === 'string' && /^#([\da-f]{3}|[\da-f]{6})$/i.test(value)) clean.accent = value
      else warn(field, 'a colour as #rgb or #rrggbb')
    }
  }
  return clean
}

/** Reads a catalog object: engagement id → entry. Unknown fields are ignored, wrong ones warned about. */
export function parseCatalog(raw: unknown): Catalog {
  const catalog: Catalog = new Map()
  if (!isObject(raw)) return catalog
  for (const [id, value] of Object.entries(raw)) if (isNumericId(id)) catalog.set(id, parseLook(`engagement catalog ${id}`, value))
  return catalog
}

/**
 * The catalog from an inline `<script type="application/json" data-lp-engagements>`, the pre-load
 * object `lpTag.engagements`, or the configured URL, fetched at start so that it is ready by the
 * time the engagement answer arrives. A catalog that cannot be had means default looks, not no offer.
 */
export async function loadCatalog(url: string | undefined, preload: unknown): Promise<Catalog> {
  try {
    const inline = document.querySelector('script[type="application/json"][data-lp-engagements]')
    if (inline) return parseCatalog(JSON.parse(inline.textContent ?? ''))
    if (preload && typeof preload === 'object') return parseCatalog(preload)
    if (url) {
      // A catalog server that hangs must not hold the offer back for ever.
      const response = await fetch(url, { __proto__: null, credentials: 'omit', referrerPolicy: 'strict-origin', signal: AbortSignal.timeout?.(10_000) } as RequestInit)
      if (!response.ok) throw `${url} answered ${response.status}`
      return parseCatalog(JSON.parse(await response.text()))
    }
  } catch (error) {
    console.warn(`[lpTag] engagement catalog unreadable (${error}); offers use the default look`)
  }
  return new Map()
}
