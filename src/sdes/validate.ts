/**
 * Engagement attribute (SDE) validation: what the tag may send for one SDE a page pushed.
 *
 * Table-driven to stay small. Only the table is walked, never the page's object graph, so depth is
 * bounded by the table, cycles cannot loop and nothing but known fields is descended into.
 */
import { hasOwn, isPlainObject } from '../lib/checks.ts'
import type { Sde } from '../types.ts'

/** The ten send-format types (`lpTag.sdes.push` format). */
export const SDE_TYPES: readonly string[] =
  'cart purchase prodView ctmrinfo mrktInfo personal lead service error searchInfo'.split(' ')

export interface SdeProblem {
  /** The SDE's type as given (cut to 50 characters), `?` when it has no string type. */
  type: string
  /** Dotted path of the field at fault (`products.0.product.price`), `type`, or `` for the SDE as a whole. */
  field: string
  /** The whole console line, e.g. `[lpTag] SDE cart dropped: products.0.product.price must be a number`. */
  message: string
}

/** LivePerson's limit for one attribute value; also applied to the SDE serialized as a whole. */
const MAX_CHARS = 50_000
/** Longest array accepted: more than any real cart, and bounds the work a hostile array causes. */
const MAX_ITEMS = 100
/** The server reads integer fields as 32-bit ints: a larger value would fail the whole request. */
const MAX_INT = 2 ** 31

/**
 * Each shape is `field:kind` separated by spaces. Kinds: `s` string (a number is taken too: the docs
 * call these fields "alphanumeric"), `n` number and `i` integer (both also as numeric strings, as
 * LivePerson's own examples send them), `b` boolean (also `"true"`/`"false"`), `[kind` an array of
 * kind, any other word a shape of this table. The ten types are shapes of the same name.
 */
const SHAPES: Record<string, string> = {
  // No prototype: a kind is looked up by name, and `unknown` must find nothing.
  __proto__: null as never,
  cart: 'total:n currency:s numItems:i products:[item',
  purchase: 'total:n currency:s orderId:s cart:cart',
  prodView: 'currency:s products:[item',
  ctmrinfo: 'info:customer',
  mrktInfo: 'info:campaign',
  personal: 'personal:person',
  lead: 'lead:leadInfo',
  service: 'service:serviceInfo',
  error: 'error:errorInfo',
  searchInfo: 'keywords:[s',
  item: 'product:product quantity:i',
  product: 'name:s category:s sku:s price:n',
  customer:
    'cstatus:s ctype:s customerId:s balance:n currency:s socialId:s imei:s userName:s companySize:i accountName:s role:s lastPaymentDate:date registrationDate:date storeNumber:s storeZipCode:s companyBranch:s loginStatus:i',
  date: 'day:i month:i year:i',
  campaign: 'channel:i affiliate:s campaignId:s',
  person: 'firstname:s lastname:s age:age contacts:[contact gender:s language:s company:s',
  age: 'age:n year:i month:i day:i',
  contact: 'email:s phone:s',
  leadInfo: 'topic:s value:n currency:s leadId:s',
  serviceInfo: 'topic:s status:i category:s serviceId:s',
  errorInfo: 'contextId:s message:s code:s level:i resolved:b',
}

const KIND_NAMES: Record<string, string> = { __proto__: null as never, s: 'a string', n: 'a number', i: 'an integer', b: 'a boolean' }


/**
 * Returns the SDE to send (a clean copy holding only accepted fields), or a problem. Never throws.
 *
 * Known fields are checked against the table; `null`/`undefined` count as absent and are left out.
 * Unknown fields are kept when they are strings, finite numbers or booleans (forward compatibility:
 * the server ignores what it does not know), dropped silently otherwise. `__proto__`, `constructor`
 * and `prototype` keys are never copied. Values are copied as given (a numeric string stays a string).
 */
export function validateSde(value: unknown): { sde?: Sde; problem?: SdeProblem } {
  let type = '?'
  /** The field being read or checked: the problem names it, also when a getter or a Proxy throws. */
  let at = 'type'
  let failure = 'could not be read'
  // Invalid SDEs only: a valid one is checked without any exception.
  const fail = (text: string): never => {
    failure = text
    throw new Error(text)
  }

  /** The clean copy of `input`, which must be of `kind`; `path` is its dotted name. */
  const check = (input: unknown, kind: string, path: string): unknown => {
    at = path
    const shape = SHAPES[kind]
    if (kind[0] === '[') {
      if (!Array.isArray(input)) return fail('must be an array')
      const length = input.length
      if (length > MAX_ITEMS) fail(`must have at most ${MAX_ITEMS} items`)
      const copy = []
      for (let index = 0; index < length; index++) {
        const itemPath = path + '.' + index
        at = itemPath
        // A hole is a missing item: read through it, `Object.prototype[0]` would be sent as one.
        copy.push(check(hasOwn(input, '' + index) ? input[index] : undefined, kind.slice(1), itemPath))
      }
      return copy
    }
    if (shape) {
      if (!isPlainObject(input)) return fail('must be an object')
      const fields = new Map(shape.split(' ').map((field) => field.split(':') as [string, string]))
      const copy: Record<string, unknown> = {}
      for (const key of Object.keys(input)) {
        // Skipped so that no prototype can be set or reached through the copy.
        if (/^(__proto__|constructor|prototype)$/.test(key)) continue
        const fieldPath = path ? path + '.' + key : key
        at = fieldPath
        const field = input[key]
        const fieldKind =
          fields.get(key) ??
          (typeof field === 'string' || typeof field === 'boolean' || Number.isFinite(field) ? 'unknown' : '')
        if (fieldKind && field != null) copy[key] = check(field, fieldKind, fieldPath)
      }
      return copy
    }
    const text = typeof input === 'string'
    if (text && input.length > MAX_CHARS) fail('must be at most 50,000 characters')
    const numeric = text ? /^-?\d+(\.\d+)?$/.test(input) && isFinite(+input) : Number.isFinite(input)
    if (
      kind === 's' ? !text && !numeric
      : kind === 'n' ? !numeric
      : kind === 'i' ? !(numeric && /^-?\d+$/.test(String(input)) && Math.abs(Number(input)) < MAX_INT)
      : kind === 'b' && input !== true && input !== false && !(text && /^(true|false)$/.test(input))
    )
      fail('must be ' + KIND_NAMES[kind])
    return input
  }

  try {
    // Own only, so that a polluted prototype gives no type; a throwing getter is "could not be read".
    const given = isPlainObject(value) && hasOwn(value, 'type') ? value.type : undefined
    if (typeof given === 'string') type = given.slice(0, 50)
    if (!SDE_TYPES.includes(type)) fail('must be one of ' + SDE_TYPES.join(' '))
    const sde = check(value, type, '') as Sde
    // The type as checked above, even if a getter answers differently the second time.
    sde.type = type
    at = ''
    if (JSON.stringify(sde).length > MAX_CHARS) fail('must be at most 50,000 characters as JSON')
    // Both fields own, whichever is set: a polluted `sde` must not pass for an accepted one.
    return { sde, problem: undefined }
  } catch {
    return { sde: undefined, problem: { type, field: at, message: `[lpTag] SDE ${type} dropped: ${at && at + ' '}${failure}` } }
  }
}
