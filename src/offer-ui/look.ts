import { dict, isSecure, own } from '../lib/checks.ts'
import { documentMember } from '../lib/page.ts'
import type { Format } from '../types.ts'
import type { OfferView, Theme } from './format.ts'
import { contrast, DARK_CARD, DEFAULT_ACCENT, SEEN } from './styles.ts'
import { rightToLeft, wordsFor } from './words.ts'

/** A text field's entry: a string without control characters, within its limit. */
const text = (max: number): [(value: unknown) => unknown, string] => [
  (value) => typeof value === 'string' && value.trim().length > 0 && value.length <= max && !/[\0-\x08\x0b-\x1f\x7f]/.test(value) && value,
  `text of 1-${max} characters`,
]

/**
 * An avatar: an https URL, or a path on the page's own origin (`/img/ana.png`), resolved against
 * the page's address, never against a `<base>` that page content may have added.
 */
const imageUrl = (value: unknown) => {
  try {
    const url = typeof value === 'string' && value.length <= 2000 && new URL(value, location.href)
    // `http:` only to this machine (the demo, a developer's page), as for every URL the tag uses.
    return url && isSecure(url) && url.href
  } catch {}
  return
}

/** Each look field's check (the valid value, else falsy) and the rule its console line gives. */
const FIELDS: Record<keyof Omit<OfferView, 'format' | 'rtl'>, [check: (value: unknown) => unknown, rule: string]> = {
  title: text(80),
  text: text(300),
  button: text(40),
  accent: [(value) => typeof value === 'string' && /^#([\da-f]{3}|[\da-f]{6})$/i.test(value) && value, 'a colour as #rgb or #rrggbb'],
  agent: text(60),
  avatar: [imageUrl, 'an https image URL (http only on localhost)'],
  theme: [(value) => (['light', 'dark', 'auto'] as unknown[]).includes(value) && value, 'one of light dark auto'],
  // `labels: {close, hide, cue}`: the words the tag itself shows, as the brand words them.
  close: text(40),
  hide: text(40),
  cue: text(40),
}

/** The words the tag shows (`labels`) sit in the look's `labels` object, not beside the texts. */
const LABELS = ['close', 'hide', 'cue']

/** Console lines already given on this page: an accent warned about once, not on every offer. */
const warned = new Set<string>()
const warnOnce = (line: string) => {
  if (!warned.has(line)) console.warn(line)
  warned.add(line)
}

/**
 * What an offer shows, from its looks as the catalog, then a hook, gave them (contract section 6):
 * each field from the last look that has it valid (own fields only: a polluted prototype shows
 * nothing), else the default; each wrong field gets one console line that names it, as its look
 * says it came. An accent the card would hide (white on a light card) is replaced by the default.
 */
export function viewOf(looks: [from: string, look: unknown][], format: Format, language: unknown): OfferView {
  // The words of the engagement's language, else the page's (`<html lang>`), else English; the
  // direction of either, or the page's own.
  // A page can make these throw (a getter on <html>): then neither counts.
  let rtl = rightToLeft(language)
  let pageLang: unknown
  try {
    const page = documentMember('documentElement')!
    rtl ||= getComputedStyle(page).direction === 'rtl'
    pageLang = page.lang
  } catch {}
  // No prototype: `agent` and `avatar` a look leaves out must not come from a polluted Object.prototype.
  const view: OfferView = dict({ format, ...wordsFor(language, pageLang), accent: DEFAULT_ACCENT, theme: 'light' as Theme, rtl })
  let accentFrom = ''
  for (const [from, look] of looks)
    for (const [field, [check, rule]] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
      const label = LABELS.includes(field)
      const value = own(label ? own(look, 'labels') : look, field)
      if (value === undefined) continue
      const valid = check(value)
      if (!valid) console.warn(`[lpTag] ${from}.${label ? 'labels.' : ''}${field} ignored: ${rule}`)
      else {
        ;(view as unknown as Record<string, unknown>)[field] = valid
        if (field === 'accent') accentFrom = from
      }
    }
  // Checked on the card it is drawn on (`auto`: the light one; `themeCss` sees to the dark one).
  const ratio = contrast(view.accent, view.theme === 'dark' ? DARK_CARD : '#fff')
  if (ratio < SEEN) {
    warnOnce(`[lpTag] ${accentFrom}.accent ${view.accent} ignored: it cannot be seen on the ${view.theme === 'dark' ? 'dark' : 'light'} card (contrast ${ratio.toFixed(1)}:1, needs ${SEEN}:1)`)
    view.accent = DEFAULT_ACCENT
  }
  return view
}
