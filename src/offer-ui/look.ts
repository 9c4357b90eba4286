import { hasOwn, own } from '../lib/checks.ts'
import type { Format } from '../types.ts'
import type { OfferView } from './format.ts'

const TEXT_LIMITS: Record<string, number> = { title: 80, text: 300, button: 40 }
const DEFAULTS: Record<string, string> = { title: 'Questions?', text: 'We are online and happy to help.', button: 'Chat now', accent: '#0b63ce' }

/** A text field: a string without control characters, within its limit. */
const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max && !/[\0-\x08\x0b-\x1f\x7f]/.test(value)

/**
 * What an offer shows, from its looks as the catalog, then a hook, gave them (contract section 6):
 * each text and the accent from the last look that has it valid (own fields only: a polluted
 * prototype shows nothing), else the default; each wrong field gets one console line that names
 * it, as its look says it came.
 */
export function viewOf(looks: [from: string, look: unknown][], format: Format): OfferView {
  const view = { format, ...DEFAULTS } as OfferView
  for (const [from, look] of looks)
    for (const field of ['title', 'text', 'button', 'accent'] as const) {
      const value = own(look, field)
      if (value === undefined) continue
      const valid = hasOwn(TEXT_LIMITS, field) ? isText(value, TEXT_LIMITS[field]!) : typeof value === 'string' && /^#([\da-f]{3}|[\da-f]{6})$/i.test(value)
      if (valid) view[field] = value as string
      else console.warn(`[lpTag] ${from}.${field} ignored: ${field === 'accent' ? 'a colour as #rgb or #rrggbb' : `text of 1-${TEXT_LIMITS[field]} characters`}`)
    }
  return view
}
