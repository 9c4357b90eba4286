// @ts-check
// The pure half of the emulator: what a request body may hold, which campaign a page view is
// eligible for, and whether an impression event matches something its session was shown.
// No I/O and no state here, so the rules read in one sitting.

/** @typedef {'exists' | 'eq' | 'gt' | 'gte' | 'lt' | 'lte'} Op */
/** @typedef {{type: string, field: string, op: Op, value?: unknown}} SdeRule */

/**
 * Eligibility rules of a campaign; every rule given must hold.
 * @typedef {object} Rules
 * @property {string[]} [sections] any of them sent as `sec://{section}` (case-insensitive)
 * @property {string[]} [entryPoints] `*` globs; any of them matching any http(s) entry point
 * @property {SdeRule[]} [sdes] conditions on the session's latest SDE of each type
 */

/**
 * @typedef {object} Campaign
 * @property {string} [name] for people reading the file; never sent
 * @property {number} campaignId
 * @property {number} engagementId
 * @property {number} engagementRevision
 * @property {number} [connectorId]
 * @property {string} [windowId]
 * @property {string} [language]
 * @property {number} [validForSeconds]
 * @property {number} [skillId]
 * @property {string} [skillName]
 * @property {Rules} [rules] none: always eligible
 */

/**
 * @typedef {object} AccountConfig
 * @property {string[]} apps app installation ids the account accepts
 * @property {Campaign[]} campaigns the first eligible one is exposed
 * @property {number} [warmUp] "Loading account" answers owed after start and reset
 * @property {string} [contentType] of every answer for this account (default application/json)
 */

/** @typedef {{accounts: Record<string, AccountConfig>}} CampaignsFile */
/** @typedef {{type: string, [field: string]: unknown}} Attribute */
/** @typedef {{campaignId: number, engagementId: number, engagementRevision: number}} Exposed */

/** Engagement-attribute types that are impression events: Report method only. */
export const IMPRESSIONS = ['impDisplay', 'impAccept', 'impTimeout', 'impClose']
const DEVICE_FAMILIES = ['DESKTOP', 'TABLET', 'MOBILE']
const OSES = ['WINDOWS', 'MAC_OSX', 'LINUX', 'IOS', 'ANDROID']
const OPS = ['exists', 'eq', 'gt', 'gte', 'lt', 'lte']

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Why a body is refused with 400/5, naming the field at fault; undefined when it passes. Light on
 * purpose: the service publishes the shapes (reference/monitoring-api-engagement.md), not its rules.
 * @param {unknown} body
 * @param {'engagement' | 'report'} method
 * @returns {string | undefined}
 */
export function invalidBody(body, method) {
  if (!isObject(body)) return 'the body must be a JSON object'
  const { identities, entryPoints, engagementAttributes: attributes, clientProperties: client } = body
  if (identities !== undefined) {
    if (!Array.isArray(identities)) return 'identities must be an array'
    const bad = identities.findIndex(
      (id) => !isObject(id) || typeof id.iss !== 'string' || (id.acr !== '0' && id.acr !== 'loa1') || typeof id.sub !== 'string' || id.sub === '',
    )
    if (bad >= 0) return `identities[${bad}] must be {iss: string, acr: "0" | "loa1", sub: non-empty string}`
  }
  if (entryPoints !== undefined && !(Array.isArray(entryPoints) && entryPoints.every((ep) => typeof ep === 'string'))) {
    return 'entryPoints must be an array of strings'
  }
  // The Report method exists to carry engagementAttributes; the engagement method may omit them.
  if (attributes !== undefined || method === 'report') {
    if (!Array.isArray(attributes)) return 'engagementAttributes must be an array'
    const bad = attributes.findIndex((a) => !isObject(a) || typeof a.type !== 'string')
    if (bad >= 0) return `engagementAttributes[${bad}] must be an object with a string "type"`
    // "all engagement-attributes excluding the type of ImpressionEvent" on the engagement method.
    const impression = method === 'engagement' ? attributes.findIndex((a) => IMPRESSIONS.includes(a.type)) : -1
    if (impression >= 0) return `engagementAttributes[${impression}].type ${attributes[impression].type} belongs to the Report method`
  }
  if (client !== undefined) {
    if (!isObject(client)) return 'clientProperties must be an object'
    const { deviceFamily, os } = client
    if (deviceFamily !== undefined && !(typeof deviceFamily === 'string' && DEVICE_FAMILIES.includes(deviceFamily))) {
      return `clientProperties.deviceFamily must be one of ${DEVICE_FAMILIES.join(', ')}`
    }
    if (os !== undefined && !(typeof os === 'string' && OSES.includes(os))) return `clientProperties.os must be one of ${OSES.join(', ')}`
  }
  return undefined
}

/**
 * Whether every rule of a campaign holds.
 * @param {Campaign} campaign
 * @param {string[]} entryPoints this request's: sections and URLs describe the page view
 * @param {Attribute[]} sdes the whole session's: SDEs describe the visit
 */
export function eligible({ rules = {} }, entryPoints, sdes) {
  const sections = entryPoints.filter((ep) => /^sec:\/\//i.test(ep)).map((ep) => ep.slice(6).toLowerCase())
  const urls = entryPoints.filter((ep) => /^https?:\/\//i.test(ep))
  return (
    (!rules.sections || rules.sections.some((section) => sections.includes(section.toLowerCase()))) &&
    (!rules.entryPoints || rules.entryPoints.some((pattern) => urls.some((url) => glob(pattern).test(url)))) &&
    (!rules.sdes || rules.sdes.every((rule) => holds(rule, sdes)))
  )
}

/** @param {string} pattern */
function glob(pattern) {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${parts.join('.*')}$`)
}

/**
 * Only the latest SDE of a type counts: a cart pushed again replaces the earlier one, as it does
 * for a visitor whose basket changes.
 * @param {SdeRule} rule
 * @param {Attribute[]} sdes
 */
function holds(rule, sdes) {
  let sde
  for (const candidate of sdes) if (candidate.type === rule.type) sde = candidate
  if (!sde) return false
  /** @type {unknown} */
  let actual = sde
  for (const key of rule.field.split('.')) actual = isObject(actual) ? actual[key] : undefined
  if (rule.op === 'exists') return actual !== undefined && actual !== null
  // Pages send numbers as strings often enough ("total": "150.00") that the rules must not care.
  const a = toNumber(actual)
  const b = toNumber(rule.value)
  if (rule.op === 'eq') return Number.isNaN(a) || Number.isNaN(b) ? actual === rule.value : a === b
  if (Number.isNaN(a) || Number.isNaN(b)) return false
  return rule.op === 'gt' ? a > b : rule.op === 'gte' ? a >= b : rule.op === 'lt' ? a < b : a <= b
}

/** @param {unknown} value */
function toNumber(value) {
  if (typeof value === 'number') return value
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
}

/**
 * Whether an impression event names an engagement this session was exposed to. "Impression events
 * can only be reported in the same session that received the engagement"
 * (reference/monitoring-api-notes.md). Ids compare as strings, since JSON clients may quote them.
 * @param {Map<string, Exposed>} contexts contextId → what it exposed
 * @param {Attribute} event
 */
export function exposedBy(contexts, event) {
  const same = (/** @type {Exposed} */ e) =>
    String(e.campaignId) === String(event.campaign) &&
    String(e.engagementId) === String(event.engId) &&
    String(e.engagementRevision) === String(event.revision)
  const ids = Array.isArray(event.eContext)
    ? event.eContext.filter((c) => isObject(c) && c.type === 'engagementContext').map((c) => String(c.id))
    : []
  // Display and accept carry the context they happened in; timeout and close may leave it out.
  if (ids.length === 0) return event.type !== 'impDisplay' && event.type !== 'impAccept' && [...contexts.values()].some(same)
  return ids.every((id) => {
    const exposed = contexts.get(id)
    return exposed !== undefined && same(exposed)
  })
}

/**
 * Checks a campaigns file once at start, so a typo fails loudly instead of never matching.
 * @param {any} file
 * @returns {CampaignsFile}
 */
export function checkCampaigns(file) {
  const fail = (/** @type {string} */ why) => {
    throw new TypeError(`campaigns: ${why}`)
  }
  if (!isObject(file) || !isObject(file.accounts)) fail('an "accounts" object is required')
  for (const [name, account] of Object.entries(file.accounts)) {
    if (!isObject(account) || !Array.isArray(account.apps) || !Array.isArray(account.campaigns)) {
      fail(`accounts["${name}"] needs "apps" and "campaigns" arrays`)
    }
    account.campaigns.forEach((/** @type {any} */ campaign, /** @type {number} */ i) => {
      const where = `accounts["${name}"].campaigns[${i}]`
      for (const key of ['campaignId', 'engagementId', 'engagementRevision']) {
        if (typeof campaign?.[key] !== 'number') fail(`${where}.${key} must be a number`)
      }
      for (const [j, rule] of (campaign.rules?.sdes ?? []).entries()) {
        if (typeof rule?.type !== 'string' || typeof rule.field !== 'string' || !OPS.includes(rule.op)) {
          fail(`${where}.rules.sdes[${j}] needs a type, a field and an op (${OPS.join(', ')})`)
        }
      }
    })
  }
  return file
}
