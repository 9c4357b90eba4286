import { test, expect } from '@playwright/test'
import fc from 'fast-check'
import { SDE_TYPES, validateSde, type SdeProblem } from './validate.ts'
import type { Sde } from '../types.ts'

/** Expects `value` accepted and returns the SDE to send. */
function accepted(value: unknown): Sde {
  const result = validateSde(value)
  if (!result.sde) throw new Error(`unexpected problem: ${result.problem?.message}`)
  return result.sde
}

/** Expects `value` refused and returns the problem. */
function refused(value: unknown): SdeProblem {
  const result = validateSde(value)
  if (!result.problem) throw new Error(`unexpectedly accepted: ${JSON.stringify(result.sde)}`)
  return result.problem
}

/**
 * One valid SDE per type, from the reference pages converted to the send format: the
 * engagement-attributes.md `unAuthSdes` events (numbers given as strings, as there), and the
 * `personal` request-body examples of monitoring-api-engagement.md and chat-sdk-getEngagement.md.
 */
const REFERENCE_EXAMPLES: Record<string, Sde> = {
  cart: {
    type: 'cart',
    total: '11.7',
    currency: 'USD',
    numItems: '6',
    products: [{ quantity: '1', product: { name: 'prod1', category: 'category', sku: 'sku', price: '7.8' } }],
  },
  purchase: { type: 'purchase', total: '78.0', orderId: 'Test123', cart: { products: [] } },
  prodView: {
    type: 'prodView',
    products: [
      { quantity: 3, product: { name: 'red high heel shoe', category: 'women shoes', sku: 'xyz567', price: '77.8' } },
    ],
    currency: 'USD',
  },
  ctmrinfo: {
    type: 'ctmrinfo',
    info: {
      cstatus: 'cancelled',
      ctype: 'vip',
      balance: '-400.99',
      currency: 'USD',
      customerId: 'customerId',
      socialId: 'socialid',
      imei: 'imeiID',
      userName: 'username',
      accountName: 'nameacount',
      role: 'rollleeee',
      companyBranch: 'companyBranch',
      storeNumber: 'storeNumber13123',
      storeZipCode: '2342221',
      lastPaymentDate: { year: '2014', month: '10', day: '15' },
      registrationDate: { year: '2013', month: '5', day: '23' },
      companySize: '2222',
    },
  },
  mrktInfo: { type: 'mrktInfo', info: { channel: '1', affiliate: 'Yahoo', campaignId: 'US coupon campaign' } },
  personal: {
    type: 'personal',
    personal: {
      firstname: 'John',
      lastname: 'Doe',
      gender: 'MALE',
      company: 'company',
      language: 'Russian',
      age: { age: '34.0', year: '1980', month: '4', day: '15' },
      contacts: [{ email: 'myname@example.com', phone: '+1 212-788-8877' }],
    },
  },
  lead: { type: 'lead', lead: { topic: 'luxury car test drive 2015', value: '22.22', leadId: 'xyz123' } },
  service: {
    type: 'service',
    service: { topic: 'order checkbook', status: '0', category: 'finance', serviceId: 'service12' },
  },
  error: { type: 'error', error: { contextId: 'contextId', message: 'Expiration date missing', code: 'er100004' } },
  searchInfo: { type: 'searchInfo', keywords: ['word'] },
}

/** The `personal` example of the Monitoring API engagement page's request body. */
const MONITORING_PERSONAL: Sde = {
  type: 'personal',
  personal: {
    contacts: [
      { email: 'user123@gmail.com', phone: '12345678' },
      { email: 'aaa@domain.co.il', phone: '98765430' },
    ],
    age: { age: 30.0, year: 1985, month: 7, day: 22 },
    firstname: 'test',
    lastname: 'test2',
    gender: 'FEMALE',
    company: 'liveperson',
  },
}

/** The `personal` example of the Chat SDK getEngagement page. */
const SDK_PERSONAL: Sde = {
  type: 'personal',
  personal: {
    contacts: [
      { email: 'test.com', phone: '12345678' },
      { email: 'test2.co.il', phone: '98765430' },
    ],
    age: { age: 30.0, year: 1985, month: 7, day: 22 },
    firstname: 'test',
    lastname: 'test2',
    gender: 'FEMALE',
    company: 'liveperson',
  },
}

/** The same types with every value a real number/boolean, as most pages write them. */
const TYPED_EXAMPLES: Sde[] = [
  {
    type: 'cart',
    total: 11.7,
    currency: 'USD',
    numItems: 6,
    products: [{ product: { name: 'prod1', category: 'c', sku: 's1', price: 7.8 }, quantity: 1 }],
  },
  {
    type: 'purchase',
    total: 78,
    currency: 'EUR',
    orderId: 'Test123',
    cart: { products: [{ product: { name: 'p', price: 78 }, quantity: 1 }], numItems: 1 },
  },
  { type: 'prodView', currency: 'USD', products: [{ product: { name: 'shoe', sku: 'xyz567', price: 77.8 } }] },
  {
    type: 'ctmrinfo',
    info: {
      cstatus: 'cancelled',
      ctype: 'vip',
      customerId: 138766,
      balance: -400.99,
      companySize: 500,
      loginStatus: 1,
      lastPaymentDate: { day: 15, month: 10, year: 2014 },
      registrationDate: { day: 23, month: 5, year: 2013 },
    },
  },
  { type: 'mrktInfo', info: { channel: 1, affiliate: 'Yahoo', campaignId: 'US coupon campaign' } },
  { type: 'lead', lead: { topic: 'luxury car test drive 2015', value: 22.22, currency: 'USD', leadId: 'xyz123' } },
  { type: 'service', service: { topic: 'order checkbook', status: 0, category: 'finance', serviceId: 'service12' } },
  {
    type: 'error',
    error: { contextId: 'c', message: 'Expiration date missing', code: 'er100004', level: 10, resolved: false },
  },
  { type: 'searchInfo', keywords: ['word', 'other'] },
]

const ALL_EXAMPLES: Sde[] = [
  ...Object.values(REFERENCE_EXAMPLES),
  MONITORING_PERSONAL,
  SDK_PERSONAL,
  ...TYPED_EXAMPLES,
  ...SDE_TYPES.map((type) => ({ type })),
]

/**
 * Every known field by dotted path (array items as `0`) with its kind, mirroring the field lists of
 * LivePerson's web-tag SDE docs. `object`/`array` are containers.
 */
const FIELD_KINDS: Record<string, Record<string, string>> = {
  cart: {
    total: 'number',
    currency: 'string',
    numItems: 'integer',
    products: 'array',
    'products.0': 'object',
    'products.0.quantity': 'integer',
    'products.0.product': 'object',
    'products.0.product.name': 'string',
    'products.0.product.category': 'string',
    'products.0.product.sku': 'string',
    'products.0.product.price': 'number',
  },
  purchase: {
    total: 'number',
    currency: 'string',
    orderId: 'string',
    cart: 'object',
    'cart.total': 'number',
    'cart.numItems': 'integer',
    'cart.products': 'array',
    'cart.products.0': 'object',
    'cart.products.0.quantity': 'integer',
    'cart.products.0.product': 'object',
    'cart.products.0.product.name': 'string',
    'cart.products.0.product.price': 'number',
  },
  prodView: {
    currency: 'string',
    products: 'array',
    'products.0': 'object',
    'products.0.quantity': 'integer',
    'products.0.product': 'object',
    'products.0.product.name': 'string',
    'products.0.product.category': 'string',
    'products.0.product.sku': 'string',
    'products.0.product.price': 'number',
  },
  ctmrinfo: {
    info: 'object',
    ...Object.fromEntries(
      'cstatus ctype customerId currency socialId imei userName accountName role storeNumber storeZipCode companyBranch'
        .split(' ')
        .map((field) => [`info.${field}`, 'string']),
    ),
    'info.balance': 'number',
    'info.companySize': 'integer',
    'info.loginStatus': 'integer',
    'info.lastPaymentDate': 'object',
    'info.lastPaymentDate.day': 'integer',
    'info.lastPaymentDate.month': 'integer',
    'info.lastPaymentDate.year': 'integer',
    'info.registrationDate': 'object',
    'info.registrationDate.day': 'integer',
    'info.registrationDate.month': 'integer',
    'info.registrationDate.year': 'integer',
  },
  mrktInfo: { info: 'object', 'info.channel': 'integer', 'info.affiliate': 'string', 'info.campaignId': 'string' },
  personal: {
    personal: 'object',
    'personal.firstname': 'string',
    'personal.lastname': 'string',
    'personal.gender': 'string',
    'personal.language': 'string',
    'personal.company': 'string',
    'personal.age': 'object',
    'personal.age.age': 'number',
    'personal.age.year': 'integer',
    'personal.age.month': 'integer',
    'personal.age.day': 'integer',
    'personal.contacts': 'array',
    'personal.contacts.0': 'object',
    'personal.contacts.0.email': 'string',
    'personal.contacts.0.phone': 'string',
  },
  lead: {
    lead: 'object',
    'lead.topic': 'string',
    'lead.value': 'number',
    'lead.currency': 'string',
    'lead.leadId': 'string',
  },
  service: {
    service: 'object',
    'service.topic': 'string',
    'service.status': 'integer',
    'service.category': 'string',
    'service.serviceId': 'string',
  },
  error: {
    error: 'object',
    'error.contextId': 'string',
    'error.message': 'string',
    'error.code': 'string',
    'error.level': 'integer',
    'error.resolved': 'boolean',
  },
  searchInfo: { keywords: 'array', 'keywords.0': 'string' },
}

/** Values of the wrong kind for each kind. */
const WRONG: Record<string, unknown[]> = {
  string: [true, {}, [], ['a'], 10n, Symbol('s'), () => 'a', NaN, Infinity, new String('a')],
  number: ['abc', '', '1e3', '0x10', ' 1', '1.', true, {}, [], NaN, Infinity, -Infinity, 10n, Symbol('n'), '9'.repeat(400)],
  integer: [1.5, '1.5', '7.0', 2 ** 31, -(2 ** 31), '2147483648', 1e21, 'six', true, {}, NaN, 10n],
  boolean: ['yes', 1, 0, 'TRUE', {}, [], 10n],
  object: ['x', 1, true, [], [{}], new Date(0), new Map(), () => ({}), Symbol('o')],
  array: ['x', 1, {}, { length: 1, 0: 'a' }, new Set(['a']), true],
}

/** Values each kind accepts, returned unchanged. */
const RIGHT: Record<string, unknown[]> = {
  string: ['', 'x', 'é中🙂', 12, 1.5, '12'],
  number: [0, -1, 11.7, '11.7', '-400.99', '6', '34.0', 1e300],
  integer: [0, 6, -3, '6', '-3', '2014', 2 ** 31 - 1, -(2 ** 31 - 1)],
  boolean: [true, false, 'true', 'false'],
}

const KIND_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
}

/** `{type}` with `value` placed at the dotted `path`, creating containers on the way. */
function sdeWith(type: string, path: string, value: unknown): Sde {
  const sde: Sde = { type }
  const parts = path.split('.')
  let container: Record<string, unknown> = sde
  parts.forEach((part, index) => {
    const next = parts[index + 1]
    if (next === undefined) container[part] = value
    else container = (container[part] ??= /^\d+$/.test(next) ? [] : {}) as Record<string, unknown>
  })
  return sde
}

/** Every string anywhere in a JSON-like value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

/** Whether `value` holds only strings, finite numbers, booleans, arrays and Object-prototype objects. */
function isJsonValue(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every(isJsonValue)
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.getOwnPropertySymbols(value).length === 0 &&
    Object.values(value).every(isJsonValue)
  )
}

test('SDE_TYPES are the ten send-format types', () => {
  expect([...SDE_TYPES]).toEqual([
    'cart',
    'purchase',
    'prodView',
    'ctmrinfo',
    'mrktInfo',
    'personal',
    'lead',
    'service',
    'error',
    'searchInfo',
  ])
  expect(Object.keys(FIELD_KINDS)).toEqual([...SDE_TYPES])
})

test('every reference example is accepted unchanged, as a copy', () => {
  for (const example of ALL_EXAMPLES) {
    const before = JSON.stringify(example)
    const sde = accepted(example)
    expect(sde).toEqual(example)
    expect(sde).not.toBe(example)
    expect(JSON.stringify(example)).toBe(before)
  }
  // Numbers given as strings stay strings; copies at every level.
  const cart = accepted(REFERENCE_EXAMPLES.cart) as any
  expect(cart.total).toBe('11.7')
  expect(cart.numItems).toBe('6')
  expect(cart.products).not.toBe(REFERENCE_EXAMPLES.cart!.products)
  expect(cart.products[0].product).not.toBe((REFERENCE_EXAMPLES.cart!.products as any)[0].product)
  expect(Object.keys(REFERENCE_EXAMPLES).sort()).toEqual([...SDE_TYPES].sort())
})

test('null and undefined fields count as absent and are left out', () => {
  // The reference's visitorError and lead events carry nulls.
  expect(
    accepted({ type: 'error', error: { contextId: 'c', code: 'er100004', level: null, resolved: null } }),
  ).toEqual({ type: 'error', error: { contextId: 'c', code: 'er100004' } })
  const lead = accepted({ type: 'lead', lead: { topic: 't', value: '22.22', currency: null, leadId: undefined } })
  expect(lead).toEqual({ type: 'lead', lead: { topic: 't', value: '22.22' } })
  expect('currency' in (lead.lead as object)).toBe(false)
  expect('leadId' in (lead.lead as object)).toBe(false)
  expect(accepted({ type: 'cart', products: null, total: undefined })).toEqual({ type: 'cart' })
  // An array item is not a field: a null item is wrong.
  expect(refused({ type: 'searchInfo', keywords: ['a', null] }).field).toBe('keywords.1')
})

test('every known field accepts the values of its kind', () => {
  for (const [type, fields] of Object.entries(FIELD_KINDS)) {
    for (const [path, kind] of Object.entries(fields)) {
      for (const value of RIGHT[kind] ?? []) {
        const sde = sdeWith(type, path, value)
        expect(accepted(sde), `${type} ${path} = ${String(value)}`).toEqual(sde)
      }
    }
  }
})

test('a field of the wrong kind is refused, naming the type and the field', () => {
  let checked = 0
  for (const [type, fields] of Object.entries(FIELD_KINDS)) {
    for (const [path, kind] of Object.entries(fields)) {
      for (const value of WRONG[kind]!) {
        const problem = refused(sdeWith(type, path, value))
        const label = `${type} ${path} = ${typeof value === 'symbol' ? 'symbol' : String(value)}`
        expect(problem, label).toEqual({
          type,
          field: path,
          message: `[lpTag] SDE ${type} dropped: ${path} must be ${KIND_WORDS[kind]}`,
        })
        checked++
      }
    }
  }
  expect(checked).toBeGreaterThan(500)
  expect(refused({ type: 'cart', products: [{ product: { price: '7,8' } }] }).message).toBe(
    '[lpTag] SDE cart dropped: products.0.product.price must be a number',
  )
})

test('a value that is not a plain object, or of another type, is refused at `type`', () => {
  const types = SDE_TYPES.join(' ')
  for (const value of [undefined, null, 0, 'cart', true, 1n, Symbol('cart'), [], [{ type: 'cart' }], new Date(0), () => {}]) {
    expect(refused(value)).toEqual({
      type: '?',
      field: 'type',
      message: `[lpTag] SDE ? dropped: type must be one of ${types}`,
    })
  }
  const fn = Object.assign(() => {}, { type: 'cart' })
  expect(refused(fn).field).toBe('type')
  expect(refused({}).type).toBe('?')
  expect(refused({ type: 7 }).type).toBe('?')
  expect(refused({ type: 'Cart' })).toEqual({
    type: 'Cart',
    field: 'type',
    message: `[lpTag] SDE Cart dropped: type must be one of ${types}`,
  })
  for (const type of ['item', 'product', 'customer', 'date', 'toString', '__proto__', 'constructor', 'impDisplay', '']) {
    expect(refused({ type }).field, type).toBe('type')
  }
  // A long made-up type is cut in the message.
  expect(refused({ type: 'x'.repeat(100_000) }).type).toBe('x'.repeat(50))
  // A null-prototype object is a plain object.
  expect(accepted(Object.assign(Object.create(null), { type: 'cart', total: 1 }))).toEqual({ type: 'cart', total: 1 })
})

test('strings over 50,000 characters are refused, wherever they are', () => {
  const long = 'x'.repeat(50_001)
  const limit = 'must be at most 50,000 characters'
  expect(refused({ type: 'cart', currency: long })).toEqual({
    type: 'cart',
    field: 'currency',
    message: `[lpTag] SDE cart dropped: currency ${limit}`,
  })
  expect(refused({ type: 'cart', total: long }).message).toBe(`[lpTag] SDE cart dropped: total ${limit}`)
  expect(refused({ type: 'searchInfo', keywords: ['a', long] }).field).toBe('keywords.1')
  expect(refused({ type: 'personal', personal: { contacts: [{ email: long }] } }).field).toBe(
    'personal.contacts.0.email',
  )
  // Unknown fields too.
  expect(refused({ type: 'lead', note: long }).field).toBe('note')
  expect(refused({ type: 'lead', lead: { note: long } }).field).toBe('lead.note')
  // At the limit, a value is fine if the whole SDE fits.
  const atLimit = 'y'.repeat(49_900)
  expect(accepted({ type: 'cart', currency: atLimit }).currency).toBe(atLimit)
})

test('an SDE over 50,000 characters as JSON is refused as a whole', () => {
  const half = 'z'.repeat(25_000)
  const problem = refused({ type: 'personal', personal: { firstname: half, lastname: half } })
  expect(problem).toEqual({
    type: 'personal',
    field: '',
    message: '[lpTag] SDE personal dropped: must be at most 50,000 characters as JSON',
  })
  const keywords = Array.from({ length: 100 }, () => 'k'.repeat(600))
  expect(refused({ type: 'searchInfo', keywords }).field).toBe('')
  // Dropped fields do not count.
  expect(accepted({ type: 'cart', extra: { big: half + half + half } })).toEqual({ type: 'cart' })
})

test('arrays hold at most 100 items', () => {
  const keywords = Array.from({ length: 100 }, (_, index) => `k${index}`)
  expect(accepted({ type: 'searchInfo', keywords }).keywords).toEqual(keywords)
  expect(refused({ type: 'searchInfo', keywords: [...keywords, 'one more'] })).toEqual({
    type: 'searchInfo',
    field: 'keywords',
    message: '[lpTag] SDE searchInfo dropped: keywords must have at most 100 items',
  })
  // A huge sparse array is refused without walking it.
  expect(refused({ type: 'cart', products: new Array(2 ** 32 - 1) }).field).toBe('products')
  expect(refused({ type: 'personal', personal: { contacts: new Array(101).fill({}) } }).field).toBe(
    'personal.contacts',
  )
  // Holes are missing items.
  expect(refused({ type: 'searchInfo', keywords: ['a', , 'c'] }).field).toBe('keywords.1')
})

test('unknown fields: strings, finite numbers and booleans are kept; anything else is dropped', () => {
  const sde = accepted({
    type: 'prodView',
    products: [{ product: { name: 'shoe', statusInStock: '1', quantityInStock: 4, onSale: true, tags: ['a'] } }],
    note: 'n',
    count: 2,
    flag: false,
    nested: { a: 1 },
    list: [1],
    nothing: null,
    notNumber: NaN,
    infinite: Infinity,
    big: 1n,
    symbol: Symbol('s'),
    method() {},
    date: new Date(0),
    [Symbol('key')]: 'symbol keys are not read',
  })
  expect(sde).toEqual({
    type: 'prodView',
    products: [{ product: { name: 'shoe', statusInStock: '1', quantityInStock: 4, onSale: true } }],
    note: 'n',
    count: 2,
    flag: false,
  })
  expect(Object.getOwnPropertySymbols(sde)).toEqual([])
})

test('a non-enumerable or inherited field is not read', () => {
  const proto = { total: 'not a number', currency: 'USD' }
  const value = Object.assign(Object.create(proto), { type: 'cart' })
  Object.defineProperty(value, 'numItems', { value: 'bad', enumerable: false })
  expect(accepted(value)).toEqual({ type: 'cart' })
})

test('__proto__, constructor and prototype keys are never copied and pollute nothing', () => {
  const json =
    '{"type":"cart","__proto__":{"polluted":1,"total":"bad"},"constructor":{"prototype":{"polluted":2}},' +
    '"prototype":{"polluted":3},"products":[{"__proto__":{"polluted":4},"product":{"__proto__":{"polluted":5},' +
    '"constructor":"x","name":"n"}}],"total":"1"}'
  const sde = accepted(JSON.parse(json)) as any
  expect(sde).toEqual({ type: 'cart', products: [{ product: { name: 'n' } }], total: '1' })
  expect(({} as any).polluted).toBeUndefined()
  expect(Object.getPrototypeOf(sde)).toBe(Object.prototype)
  expect(Object.getPrototypeOf(sde.products[0])).toBe(Object.prototype)
  expect(Object.getPrototypeOf(sde.products[0].product)).toBe(Object.prototype)
  expect(sde.polluted).toBeUndefined()
  expect(sde.products[0].polluted).toBeUndefined()
  expect(sde.products[0].product.polluted).toBeUndefined()
  for (const object of [sde, sde.products[0], sde.products[0].product]) {
    expect(Object.hasOwn(object, '__proto__')).toBe(false)
    expect(Object.hasOwn(object, 'constructor')).toBe(false)
    expect(Object.hasOwn(object, 'prototype')).toBe(false)
  }
  // A `type` of `__proto__` is no type.
  expect(refused(JSON.parse('{"type":"__proto__"}')).field).toBe('type')
  expect(({} as any).polluted).toBeUndefined()
})

test('cyclic objects cannot loop: only the table is walked', () => {
  const cyclic: any = { type: 'cart', total: 1 }
  cyclic.self = cyclic
  cyclic.products = [{ product: { name: 'p' } }]
  cyclic.products[0].product.back = cyclic
  cyclic.products[0].quantity = 1
  cyclic.products.push(cyclic)
  // As an item, the SDE itself keeps only its unknown primitive fields: `type` and `total`.
  const sde = accepted(cyclic)
  expect(JSON.parse(JSON.stringify(sde))).toEqual({
    type: 'cart',
    total: 1,
    products: [{ product: { name: 'p' }, quantity: 1 }, { type: 'cart', total: 1 }],
  })
  // A cycle through a known field is walked once per table level, then refused or cut.
  const item: any = {}
  item.product = item
  expect(accepted({ type: 'cart', products: [item] })).toEqual({ type: 'cart', products: [{ product: {} }] })
  const info: any = { channel: 1 }
  info.info = info
  expect(accepted({ type: 'mrktInfo', info })).toEqual({ type: 'mrktInfo', info: { channel: 1 } })
})

test('getters that throw and hostile Proxies give a problem, never an exception', () => {
  const throwing = (key: string, extra: object = {}) =>
    Object.defineProperty({ type: 'cart', ...extra }, key, {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
  expect(refused(throwing('total'))).toEqual({
    type: 'cart',
    field: 'total',
    message: '[lpTag] SDE cart dropped: total could not be read',
  })
  expect(refused(throwing('unknownField')).field).toBe('unknownField')
  expect(refused({ type: 'cart', products: [{ product: throwing('price') }] }).field).toBe('products.0.product.price')
  const throwingType = Object.defineProperty({}, 'type', {
    enumerable: true,
    get() {
      // biome-ignore lint/style/useThrowOnlyError: a page's getter may throw anything
      throw 'no'
    },
  })
  expect(refused(throwingType)).toEqual({
    type: '?',
    field: 'type',
    message: '[lpTag] SDE ? dropped: type could not be read',
  })
  // A getter that answers differently the second time cannot change the type that was checked.
  let reads = 0
  const shifty = Object.defineProperty({ total: 1 }, 'type', {
    enumerable: true,
    get: () => (reads++ ? { evil: true } : 'cart'),
  })
  expect(accepted(shifty)).toEqual({ type: 'cart', total: 1 })

  const trap = () => {
    throw new Error('trap')
  }
  const traps: ProxyHandler<object>[] = [
    { get: trap },
    { ownKeys: trap },
    { getOwnPropertyDescriptor: trap },
    { getPrototypeOf: trap },
    { has: trap, get: (target, key) => (key === Symbol.toStringTag ? trap() : Reflect.get(target, key)) },
  ]
  for (const handler of traps) {
    const proxy = new Proxy({ type: 'cart', total: 1 }, handler)
    const result = validateSde(proxy)
    // Some traps are never reached; whatever happens, no exception and no Proxy in the output.
    if (result.sde) expect(result.sde).toEqual({ type: 'cart', total: 1 })
    else expect(result.problem!.message).toMatch(/^\[lpTag\] SDE (cart|\?) dropped: /)
  }
  expect(refused(new Proxy({ type: 'cart' }, { get: trap })).field).toBe('type')
  expect(refused({ type: 'cart', products: new Proxy([], { get: trap }) }).field).toBe('products')
  const revocable = Proxy.revocable({ type: 'cart' }, {})
  revocable.revoke()
  expect(refused(revocable.proxy).field).toBe('type')
  const revokedField = Proxy.revocable({}, {})
  revokedField.revoke()
  expect(refused({ type: 'lead', lead: revokedField.proxy }).field).toBe('lead')
  // A well-behaved Proxy is read like the object it wraps; the copy is plain.
  const benign = accepted(new Proxy({ type: 'lead', lead: new Proxy({ topic: 't' }, {}) }, {})) as any
  expect(benign).toEqual({ type: 'lead', lead: { topic: 't' } })
  expect(JSON.stringify(benign)).toBe('{"type":"lead","lead":{"topic":"t"}}')
})

test('BigInt, Symbol and function values in known fields are refused', () => {
  expect(refused({ type: 'cart', total: 11n }).message).toBe('[lpTag] SDE cart dropped: total must be a number')
  expect(refused({ type: 'cart', currency: Symbol('USD') }).message).toBe(
    '[lpTag] SDE cart dropped: currency must be a string',
  )
  expect(refused({ type: 'cart', products: () => [] }).message).toBe(
    '[lpTag] SDE cart dropped: products must be an array',
  )
  expect(refused({ type: 'error', error: { resolved: Symbol.iterator } }).field).toBe('error.resolved')
})

test('validateSde never throws, for anything', () => {
  fc.assert(
    fc.property(
      fc.anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withNullPrototype: true,
        withObjectString: true,
        withSet: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
      (value) => {
        const result = validateSde(value)
        // Exactly one of the two is set.
        expect(!result.sde !== !result.problem).toBe(true)
        if (result.sde) expect(SDE_TYPES).toContain(result.sde.type)
      },
    ),
    { numRuns: 300 },
  )
})

/** SDE-like values: mostly a listed type, fields of the table (and hostile keys) holding anything, long strings. */
const sdeLike = fc
  .record({
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...SDE_TYPES) },
      fc.constantFrom('Cart', 'item', 'product', 'date', 'toString', '__proto__', 'impDisplay'),
      fc.string(),
      fc.anything(),
    ),
    fields: fc.dictionary(
      fc.constantFrom(
        ...'total currency numItems products product price quantity orderId cart info personal lead service error keywords age contacts lastPaymentDate day channel level resolved __proto__ constructor extra'.split(
          ' ',
        ),
      ),
      fc.anything({
        maxDepth: 4,
        key: fc.constantFrom('product', 'price', 'name', 'quantity', 'age', 'email', 'day', 'topic', 'value', '__proto__', '0'),
        values: [
          fc.string(),
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.constantFrom('11.7', '6', '-400.99', 'true', '1e3'),
          fc.nat(60_000).map((length) => 'x'.repeat(length)),
        ],
        withBigInt: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
      }),
      { maxKeys: 6 },
    ),
  })
  .map(({ type, fields }) => ({ ...fields, type }))

test('accepted SDEs are of a listed type, within every limit, JSON-safe and stable', () => {
  let acceptedCount = 0
  fc.assert(
    fc.property(sdeLike, (value) => {
      const result = validateSde(value)
      if (result.problem) {
        expect(result.problem.message.startsWith(`[lpTag] SDE ${result.problem.type} dropped: `)).toBe(true)
        return
      }
      acceptedCount++
      const sde = result.sde!
      expect(SDE_TYPES).toContain(sde.type)
      const json = JSON.stringify(sde)
      expect(json.length).toBeLessThanOrEqual(50_000)
      expect(strings(sde).every((text) => text.length <= 50_000)).toBe(true)
      // Only JSON values, and validating the copy again gives it back.
      expect(isJsonValue(sde)).toBe(true)
      expect(validateSde(sde)).toEqual({ sde })
      expect(({} as any).polluted).toBeUndefined()
    }),
    { numRuns: 300 },
  )
  expect(acceptedCount).toBeGreaterThan(20)
})

test('every reference example is accepted, with any unknown primitive fields added', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ALL_EXAMPLES),
      fc.dictionary(
        fc.string({ maxLength: 8 }).filter((key) => !(key in FIELD_KINDS.cart!) && !['type', '__proto__', 'constructor', 'prototype', 'info', 'personal', 'lead', 'service', 'error', 'keywords', 'orderId', 'cart'].includes(key)),
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
        { maxKeys: 4 },
      ),
      (example, extra) => {
        expect(accepted({ ...extra, ...example })).toEqual({ ...extra, ...example })
      },
    ),
    { numRuns: 200 },
  )
})
