/**
 * Checks and coercions shared where their rule is the same, whatever the value comes from: the
 * page, the API's answer or the brand's catalog.
 */

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value)


/** A deep copy (what the tag hands out is plain data), or the data itself where it cannot be cloned. */
export const copy = <T>(data: T): T => {
  try {
    return structuredClone(data)
  } catch {
    return data
  }
}

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
 * `strict`: what cannot be read throws instead (a hook's result that must be read whole or not at all).
 */
export const asArray = (value: unknown, strict?: boolean): unknown[] => {
  const found: unknown[] = []
  const read = (step: () => void) => {
    try {
      step()
    } catch (error) {
      if (strict) throw error
    }
  }
  read(() => {
    if (Array.isArray(value))
      for (let index = 0, length = Math.min(value.length, 1e4); index < length; index++) read(() => hasOwn(value, '' + index) && found.push(value[index]))
  })
  return found
}

/** The strings of an array (a page's sections), or undefined when `value` is no array. */
export const strings = (value: unknown): string[] | undefined => (isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined)

/** A plain object: not an element, a collection or another window that named access puts on `window`. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => Object.prototype.toString.call(value) === '[object Object]'

/**
 * A dictionary for a platform API (`fetch`, `addEventListener`, observers, `attachShadow`,
 * Trusted Types): WebIDL reads every member it knows through the prototype chain, so a polluted
 * `signal`, `rootMargin` or `createHTML` would reach it from an ordinary object literal.
 */
export const dict = <T extends object>(members: T): T => Object.assign(Object.create(null), members)

/** A campaign, engagement or catalog id: a non-negative safe integer, or 1-20 digits. */
export const isNumericId = (value: unknown): value is number | string =>
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && /^\d{1,20}$/.test(value))

/** An offer's lifetime in seconds: more than none, at most a day. */
export const isValidity = (value: unknown): value is number => typeof value === 'number' && value > 0 && value <= 86400

/** An account id or a zone name; `NAME_RULE` says so in a console line. */
export const isName = (value: unknown): value is string => typeof value === 'string' && /^[\w-]{1,64}$/.test(value)
export const NAME_RULE = '1-64 of A-Z a-z 0-9 _ -'

/**
 * `object[key]` when it is an own property, else undefined: a polluted Object.prototype gives
 * nothing, and a throwing getter or Proxy reads as absent.
 */
export const own = (object: unknown, key: string): any => {
  try {
    if (object && typeof object === 'object' && hasOwn(object, key)) return (object as Record<string, unknown>)[key]
  } catch {}
}

/** Sets `object[key]`, or nothing where the page made that impossible (a sealed object, a getter-only property). */
export const put = (object: Record<string, unknown>, key: string, value: unknown): void => {
  try {
    object[key] = value
  } catch {}
}

/** Whether `key` is `object`'s own: `in` also finds Object.prototype's `constructor`, `__proto__`…
 * (`Object.hasOwn` itself is missing before Safari 15.4). */
export const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key)

/**
 * Whether a value can be used as a visitor, session or subject id: it goes into URLs and storage,
 * so a server answer with control characters or megabytes of text must not pass.
 */
export const isId = (value: unknown): value is string => typeof value === 'string' && /^[\w.~+/=:-]{1,128}$/.test(value)

/** https, or http to a loopback host: the only URLs the tag fetches or shows. */
export const isSecure = (url: URL): boolean =>
  url.protocol === 'https:' || (url.protocol === 'http:' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname))
