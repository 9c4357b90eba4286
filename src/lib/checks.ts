/**
 * Checks and safe reads shared wherever their rule is the same, whatever the value comes from: the
 * page, the API's answer or the brand's catalog. Everything a page hands over may be hostile: a
 * throwing getter, a revoked Proxy, a polluted `Object.prototype`.
 */

/** Whether `key` is `object`'s own (`Object.hasOwn` is missing before Safari 15.4). */
export const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key)

/**
 * `object[key]` when it is an own property, else undefined: a polluted Object.prototype gives
 * nothing, and a throwing getter or Proxy reads as absent.
 */
export const own = (object: unknown, key: string): any => {
  try {
    if (object && typeof object === 'object' && hasOwn(object, key)) return (object as Record<string, unknown>)[key]
  } catch {}
}

/**
 * An object without a prototype: a member left out reads as undefined whatever a page added to
 * Object.prototype. Also what the platform gets (`fetch`, `addEventListener`, observers,
 * `attachShadow`): WebIDL reads every member it knows through the prototype chain.
 */
export const dict = <T extends object>(members: T): T => Object.assign(Object.create(null), members)

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !isArray(value)

/** A plain object: not an element, a collection or another window that named access puts on `window`. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => Object.prototype.toString.call(value) === '[object Object]'

/** Whether a page's value is an array, never throwing (a revoked Proxy throws on `Array.isArray`). */
export const isArray = (value: unknown): value is unknown[] => {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

/**
 * A page's array as its own elements, read one by one: a hole is a hole (never an
 * `Object.prototype[0]` read through it), an element whose getter throws is left out, and an array
 * that cannot even be read (a throwing `length`, a revoked Proxy) is none. Anything else is none.
 * `strict`: what cannot be read throws instead (a hook's result, read whole or not at all).
 */
export const asArray = (value: unknown, strict?: boolean): unknown[] => {
  const found: unknown[] = []
  const read = (step: () => unknown) => {
    try {
      step()
    } catch (error) {
      if (strict) throw error
    }
  }
  read(() => {
    if (isArray(value))
      for (let index = 0, length = Math.min(value.length, 1e4); index < length; index++) read(() => hasOwn(value, '' + index) && found.push(value[index]))
  })
  return found
}

/** A deep copy (what the tag hands out is plain data), or the data itself where it cannot be cloned. */
export const copy = <T>(data: T): T => {
  try {
    return structuredClone(data)
  } catch {
    return data
  }
}

/** Sets `object[key]`, or nothing where the page made that impossible (a sealed object, a getter-only property). */
export const put = (object: object, key: string, value: unknown): void => {
  try {
    ;(object as Record<string, unknown>)[key] = value
  } catch {}
}

/**
 * Whether a value can be used as a visitor, session or subject id: it goes into URLs and storage,
 * so a server answer with control characters or megabytes of text must not pass.
 */
export const isId = (value: unknown): value is string => typeof value === 'string' && /^[\w.~+/=:-]{1,128}$/.test(value)

/** A campaign, engagement or catalog id: a non-negative safe integer, or 1-20 digits. */
export const isNumericId = (value: unknown): value is number | string =>
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && /^\d{1,20}$/.test(value))

/** An offer's lifetime in seconds: more than none, at most a day. */
export const isValidity = (value: unknown): value is number => typeof value === 'number' && value > 0 && value <= 86400

/** An account id or a zone name; `NAME_RULE` says so in a console line. */
export const isName = (value: unknown): value is string => typeof value === 'string' && /^[\w-]{1,64}$/.test(value)
export const NAME_RULE = '1-64 of A-Z a-z 0-9 _ -'

/** Short printable text on one line: what an answer gives ends up in events, the DOM and the console. */
export const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= 200 && !/[\0-\x1f\x7f]/.test(value)

/** A loopback host: the only one `http:` may go to. */
export const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])$/

/** https, or http to a loopback host: the only URLs the tag fetches or shows. */
export const isSecure = (url: URL): boolean => url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))
