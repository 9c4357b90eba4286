/**
 * Public types of the tag: what integrators see on `window.lpTag`, the events it publishes and the
 * onEngagement result. Emitted as `dist/tag.d.ts` by `node build.mjs`.
 *
 * Including `dist/tag.d.ts` in a program (an `import type` from it, or its path in `files`)
 * also types the global:
 *
 * ```ts
 * import type { OfferEvent } from 'lp-engagement-tag'
 *
 * window.lpTag.events.bind<OfferEvent>('LP_OFFERS', 'OFFER_CLICK', (offer) => {
 *   analytics.track('chat offer accepted', { engagement: offer.engagementName })
 * })
 * ```
 */

/** Which app published an event: `LP_OFFERS` (offer lifecycle), `LP_TAG` (diagnostics), or any other. */
export type AppName = 'LP_OFFERS' | 'LP_TAG' | (string & {})

/** The second argument every listener receives. */
export interface EventInfo {
  /** The app that published the event, e.g. `"LP_OFFERS"`. */
  appName: string
  /** The event's name, e.g. `"OFFER_CLICK"`. */
  eventName: string
}

/**
 * A listener for `lpTag.events.bind`. `T` is the type of the event's data (default `any`).
 *
 * ```ts
 * const onRetry: EventCallback<RetryInfo> = (retry, { eventName }) => {
 *   console.log(eventName, `attempt ${retry.attempt} in ${retry.delayMs} ms`)
 * }
 * lpTag.events.bind('LP_TAG', 'RETRY', onRetry)
 * ```
 */
export type EventCallback<T = any> = (data: T, info: EventInfo) => void

/**
 * The object form of `lpTag.events.bind`.
 *
 * ```ts
 * lpTag.events.bind<OfferEvent>({
 *   appName: 'LP_OFFERS',
 *   eventName: 'OFFER_IMPRESSION',
 *   func: (offer) => analytics.track('chat offer seen', { id: offer.engagementId }),
 *   triggerOnce: true,
 * })
 * ```
 */
export interface BindOptions<T = any> {
  /** Defaults to `"*"` (any app). */
  appName?: string
  /** `"*"` matches any event. */
  eventName: string
  /** Called with the event's data and `{appName, eventName}`. */
  func: EventCallback<T>
  /** `this` inside `func`. */
  context?: unknown
  /** Unbind after the first call. */
  triggerOnce?: boolean
  /** Call `func` in a later task instead of during `trigger`. */
  async?: boolean
}

/**
 * The object form of `lpTag.events.unbind`: every given field must match; at least one is needed.
 *
 * ```ts
 * lpTag.events.unbind({ appName: 'LP_OFFERS', func: onOffer })
 * ```
 */
export interface UnbindOptions {
  /** Only listeners bound to this app (as given to `bind`, `"*"` included). */
  appName?: string
  /** Only listeners bound to this event (as given to `bind`, `"*"` included). */
  eventName?: string
  /** Only this listener function. */
  func?: EventCallback
}

/** One entry of `lpTag.events.hasFired`. */
export interface FiredEvent<T = any> {
  /** The app that published the event. */
  appName: string
  /** The event's name. */
  eventName: string
  /** The data the event was published with. */
  data: T
}

/**
 * `lpTag.events`, the page's event bus.
 *
 * ```ts
 * lpTag.events.bind('LP_OFFERS', 'OFFER_CLICK', (data) => analytics.track('chat offer', data))
 * lpTag.events.hasFired('LP_OFFERS', '*') // everything that already happened
 * ```
 */
export interface LpEvents {
  /**
   * Listen to `appName`/`eventName` (`"*"` for any); returns an id for `unbind`.
   * A listener that throws does not stop other listeners or the tag.
   *
   * ```ts
   * const id = lpTag.events.bind<OfferEvent>('LP_OFFERS', 'START', (offer, { eventName }) => {
   *   console.log(eventName, offer.engagementId, offer.tglName)
   * })
   * ```
   *
   * @param appName The publishing app, `"LP_OFFERS"`, `"LP_TAG"`, any other, or `"*"`.
   * @param eventName The event, e.g. `"OFFER_CLICK"`, or `"*"`.
   * @param func The listener: `func(data, {appName, eventName})`.
   * @returns An id for `unbind` (`""` when nothing was bound).
   */
  bind<T = any>(appName: string, eventName: string, func: EventCallback<T>): string
  /**
   * Listen with options: `appName` defaults to `"*"`; `triggerOnce`, `async` and `context` are optional.
   *
   * ```ts
   * lpTag.events.bind({ eventName: 'ERROR', func: (error: TagError) => report(error.code), triggerOnce: true })
   * ```
   *
   * @returns An id for `unbind` (`""` when nothing was bound).
   */
  bind<T = any>(options: BindOptions<T>): string
  /**
   * Stop listening, by the id `bind` returned or by matching fields; true when something was unbound.
   *
   * ```ts
   * const id = lpTag.events.bind('LP_TAG', 'ERROR', onError)
   * lpTag.events.unbind(id)
   * lpTag.events.unbind({ appName: 'LP_TAG', func: onError })
   * ```
   */
  unbind(idOrOptions: string | UnbindOptions): boolean
  /**
   * Publish an event; returns whether a listener ran. The event is kept for `hasFired`.
   *
   * ```ts
   * lpTag.events.trigger('MY_SHOP', 'CHECKOUT', { total: 78 })
   * ```
   */
  trigger(appName: string, eventName: string, data?: unknown): boolean
  /**
   * Past events that match (`"*"` for any), oldest first: catch up on what happened before you bound.
   *
   * ```ts
   * const shown = lpTag.events.hasFired<OfferEvent>('LP_OFFERS', 'OFFER_DISPLAY')
   * for (const { data } of shown) console.log(data.engagementName)
   * ```
   */
  hasFired<T = any>(appName: string, eventName: string): FiredEvent<T>[]
}

/**
 * The data of every `LP_OFFERS` event (`START`, `OFFER_DISPLAY`, `OFFER_IMPRESSION`, `OFFER_CLICK`,
 * `OFFER_TIMEOUT`, `OFFER_DECLINED`, `OFFER_REMOVE`) for one offer, as in the LE-Tag engagement events.
 *
 * ```ts
 * lpTag.events.bind<OfferEvent>('LP_OFFERS', 'OFFER_CLICK', (offer) => {
 *   dataLayer.push({ event: 'chat_offer_click', confKey: offer.confKey })
 * })
 * ```
 */
export interface OfferEvent {
  /** The engagement and page contexts: `[{EngagementContext: {id: contextId}}, {pageContext: {id: pageId}}]`. */
  contexts: [{ EngagementContext: { id: string } }, { pageContext: { id: string } }]
  /** The campaign id, as the API returned it. */
  campaignId: number | string
  /** The engagement id, as the API returned it. */
  engagementId: number | string
  /** The engagement revision, as the API returned it. */
  engagementRevision: number | string
  /** The format: 0 peeling, 1 overlay, 2 toaster, 3 slideout, 5 embedded, 6 sticky. */
  engagementType: number
  /** The engagement context (impression) id. */
  contextId: string
  /** The catalog's zone for the engagement, `"0"` when none. */
  zoneId: string
  /** The agents' state: 1 online, 2 offline, 4 busy. */
  state: number
  /** `${campaignId}_${engagementId}_${engagementRevision}`. */
  confKey: string
  /** The format's name: `peeling`, `overlay`, `toaster`, `slider`, `embedded` or `sticky`. */
  tglName: string
  /** Always `true`: the configuration has finished loading. */
  done: true
  /** The catalog's name for the engagement, else `String(engagementId)`. */
  engagementName: string
  /** The chat window (look and feel) id, when the API gave one. */
  windowId?: string
  /** The skill id, when the API gave one. */
  skillId?: number
  /** The skill name, when the API gave one. */
  skillName?: string
  /** The engagement's language, e.g. `"en-US"`, when the API gave one. */
  language?: string
}

/**
 * What a page needs to start the conversation an accepted offer asks for, with LivePerson's
 * Messaging Window API (`cm.ConsumerRequestConversation`): `OFFER_CLICK` data carries it. Ids are
 * text, as that request takes them.
 *
 * ```ts
 * lpTag.events.bind<OfferClickEvent>('LP_OFFERS', 'OFFER_CLICK', ({ handoff }) => {
 *   chat.request({ campaignInfo: handoff.campaignInfo, conversationContext: handoff.conversationContext, skillId: handoff.skillId })
 * })
 * ```
 */
export interface Handoff {
  /** The engagement the visitor accepted. */
  campaignInfo: { campaignId: string; engagementId: string }
  /** The visitor's monitoring context: the same visitor, session and impression as the offer. */
  conversationContext: {
    type: 'SharkContext'
    visitorId: string
    sessionId: string
    /** The offer's `contextId`. */
    interactionContextId: string
    /** The engagement's language, else the page's `<html lang>`, else `"en-US"`. */
    lang: string
  }
  /** The chat window (look and feel) id, when the API gave one. */
  windowId?: string
  /** The skill id, when the API gave one. */
  skillId?: string
  /** The skill name, when the API gave one. */
  skillName?: string
  /** The connector id, when the API gave one. */
  connectorId?: string
  /** The page view's id, when the API gave one. */
  pageId?: string
}

/** `OFFER_CLICK` data: the offer's, with the conversation hand-off. */
export interface OfferClickEvent extends OfferEvent {
  handoff: Handoff
}

/** The `engagementDetails` of an available engagement (Chat SDK onEngagement shape). */
export interface EngagementDetails {
  /** The campaign id, as the API returned it. */
  campaignId: number | string
  /** The engagement id, as the API returned it. */
  engagementId: number | string
  /** The engagement context (impression) id. */
  contextId: string
  /** The window (look and feel) id, when the API sent one. */
  windowId?: string
  /** The engagement's language, e.g. `"en-US"`, when the API sent one. */
  language?: string
  /** The engagement revision, as the API returned it. */
  engagementRevision: number | string
  /** How long the offer stays valid: the API's value, else the catalog's, else 900. */
  validForSeconds: number
  /** The connector id, when the API sent one. */
  connectorId?: number | string
  /** The skill id, when the API sent one. */
  skillId?: number
  /** The skill name, when the API sent one. */
  skillName?: string
}

/** An open conversation for this visitor: no offer is shown. Also the `LP_TAG`/`CONVERSATION` data. */
export interface OpenConversation {
  /** The open conversation's id. */
  conversationId: string
  /** The campaign id of the engagement the conversation started from. */
  campaignId: number | string
  /** The engagement id the conversation started from. */
  engagementId: number | string
  /** The connector id, when the API sent one. */
  connectorId?: number | string
}

/**
 * What `lpTag.getEngagement()` resolves to, what `lpTag.onEngagement` is called with and what
 * `LP_TAG`/`ENGAGEMENT` carries.
 *
 * ```ts
 * const result = await lpTag.getEngagement()
 * if (result.status === 'Available') showChatButton(result.engagementDetails?.engagementId)
 * else if (result.error) console.warn(result.error.code, result.error.message)
 * ```
 */
export interface EngagementResult {
  /** `"Available"` when there is an engagement to offer. */
  status: 'Available' | 'NotAvailable'
  /** The session id (sid), when the API answered. */
  sessionId?: string
  /** The visitor id (vid), when the API answered. */
  visitorId?: string
  /** The page view's id, when the API sent one. */
  pageId?: string
  /** The engagement to offer, with `status: "Available"`. */
  engagementDetails?: EngagementDetails
  /** The visitor's open conversation, if any (then no offer is shown). */
  conversation?: OpenConversation
  /** Present when the tag gave up (`unavailable`), the API refused the request, or configuration is wrong. */
  error?: TagError
}

/**
 * `LP_TAG`/`ERROR` data, and `EngagementResult.error`.
 *
 * ```ts
 * lpTag.events.bind<TagError>('LP_TAG', 'ERROR', (error) => monitoring.log(error.code, error.message))
 * ```
 */
export interface TagError {
  /** `config`, `unavailable`, `rejected`, `zone`, `storage`, `consent`, `aborted`. */
  code: string
  /** A human-readable explanation, also logged with `console.error`. */
  message: string
}

/** `LP_TAG`/`RETRY` data: a retry is scheduled after `delayMs`. `status` is 0 for network errors and time-outs. */
export interface RetryInfo {
  /** Which retry this is, from 1. */
  attempt: number
  /** The pause before it, in milliseconds. */
  delayMs: number
  /** The HTTP status that caused it, 0 for network errors and time-outs. */
  status: number
}

/**
 * An engagement attribute (SDE) as pushed by the page. Invalid ones get a `console.warn` and are not sent.
 *
 * ```ts
 * lpTag.sdes.push({ type: 'cart', total: 11.7, currency: 'EUR', products: [] })
 * ```
 */
export interface Sde {
  /** `cart`, `purchase`, `prodView`, `ctmrinfo`, `mrktInfo`, `personal`, `lead`, `service`, `error`, `searchInfo`. */
  type: string
  /** The type's fields, as in the engagement attributes reference. */
  [field: string]: unknown
}

/**
 * An authenticated identity, added to every engagement request.
 *
 * ```ts
 * lpTag.identities.push({ iss: 'https://auth.example.com', acr: 'loa1', sub: 'customer-42' })
 * ```
 */
export interface Identity {
  /** The issuer, e.g. your login domain. */
  iss: string
  /** Always `"loa1"` for an authenticated identity. */
  acr: 'loa1'
  /** The visitor's id at the issuer. */
  sub: string
}

/**
 * The JS Chat SDK getEngagement request shape accepted by `lpTag.getEngagement`.
 *
 * ```ts
 * lpTag.getEngagement({
 *   consumerSections: ['Support', 'English'],
 *   engagementAttributes: [{ type: 'ctmrinfo', info: { customerId: '42' } }],
 *   appDetails: { appVersion: '1.0', deviceFamily: 'MOBILE', os: 'IOS', osVersion: '17.4' },
 * })
 * ```
 */
export interface EngagementRequest {
  /** Accepted for copy-paste compatibility with the Chat SDK; the tag is always `EXTERNAL`. */
  appType?: 'EXTERNAL'
  /** Use this visitor id instead of the stored one. */
  vid?: string
  /** Use this session id instead of the stored one. */
  sid?: string
  /** Sections, sent as `sec://` entry points. */
  consumerSections?: string[]
  /** SDEs for this request, validated like `lpTag.sdes`. */
  engagementAttributes?: Sde[]
  /** Fills the request's `clientProperties` instead of what the tag detects. */
  appDetails?: {
    appVersion?: string
    deviceFamily?: 'DESKTOP' | 'TABLET' | 'MOBILE'
    os?: 'WINDOWS' | 'MAC_OSX' | 'LINUX' | 'IOS' | 'ANDROID'
    osVersion?: string
  }
}

/** `lpTag.sdes`: engagement attributes queued before load are consumed. */
export interface LpSdes {
  /**
   * Validate and keep SDEs. After load they reach the API within one round trip (pushes in one
   * task go together): with the Report method while an offer shows, else with a new engagement
   * check. Returns how many are held.
   *
   * ```ts
   * lpTag.sdes.push({ type: 'prodView', products: [{ product: { name: 'Shoe', sku: 'S-1' } }] })
   * ```
   */
  push(...sdes: (Sde | Sde[])[]): number
  /**
   * Validate and send now; `callback(delivered)` runs when the request that carries them ends.
   *
   * ```ts
   * lpTag.sdes.send({ type: 'purchase', total: 78, orderId: 'A-1001' }, (delivered) => delivered && next())
   * ```
   */
  send(sdes?: Sde | Sde[], callback?: (delivered: boolean) => void): void
  /**
   * The SDEs held for this page.
   *
   * ```ts
   * const all = lpTag.sdes.get()
   * ```
   */
  get(): Sde[]
  /**
   * The SDEs held for this page of one type, or undefined when there are none (as LivePerson's
   * tag answers).
   *
   * ```ts
   * const carts = lpTag.sdes.get('cart') ?? []
   * ```
   */
  get(type: string): Sde[] | undefined
}

/**
 * `window.lpTag` once the tag has loaded. Before that, `window.lpTag` may be missing or be the
 * page's own pre-load object (`{sdes: [], section: [], identities: []}`); check `loaded`.
 *
 * ```ts
 * lpTag.onEngagement = (result) => {
 *   if (result.status === 'Available') console.log('offer', result.engagementDetails?.engagementId)
 * }
 * ```
 */
export interface LpTag {
  /** The event bus: `LP_OFFERS` offer lifecycle, `LP_TAG` diagnostics, and your own events. */
  events: LpEvents
  /** Engagement attributes (SDEs) for this page. */
  sdes: LpSdes
  /**
   * Authenticated identities for the requests: an object, or a function given a callback.
   *
   * ```ts
   * lpTag.identities.push({ iss: 'https://auth.example.com', acr: 'loa1', sub: 'customer-42' })
   * lpTag.identities.push((cb) => auth.whenReady((user) => cb({ iss: 'https://auth.example.com', acr: 'loa1', sub: user.id })))
   * ```
   */
  identities: { push(...identities: (Identity | ((cb: (identity: Identity) => void) => void))[]): number }
  /**
   * Single-page-app navigation: removes the current offer and starts a new page view.
   *
   * ```ts
   * router.afterEach((to) => lpTag.newPage(to.fullPath, { section: ['checkout'] }))
   * ```
   */
  newPage(url: string, options?: NewPageOptions): void
  /**
   * A fresh engagement check.
   *
   * ```ts
   * const result = await lpTag.getEngagement({ consumerSections: ['support'] })
   * const id = result.engagementDetails?.engagementId
   * ```
   */
  getEngagement(request?: EngagementRequest): Promise<EngagementResult>
  /**
   * Called with every onEngagement result when a page assigns it.
   *
   * ```ts
   * lpTag.onEngagement = (result) => console.log(result.status)
   * ```
   */
  onEngagement?: (result: EngagementResult) => void
  /**
   * Grant (`true`) or withdraw (`false`) consent; withdrawing deletes stored ids.
   *
   * ```ts
   * cookieBanner.onAccept(() => lpTag.consent(true))
   * ```
   */
  consent(granted: boolean): void
  /** Open the debug panel. */
  debug(): void
  /** `true` once the tag has loaded and set up its API (also while consent is pending). */
  readonly loaded: boolean
  /** The tag's version string. */
  readonly version: string
  /** The account (site) id, when set on the pre-load object. */
  site?: string
  /** The app installation id, when set on the pre-load object. */
  app?: string
  /** The API host, when set on the pre-load object. */
  domain?: string
  /** Sections, when set on the pre-load object. */
  section?: string[] | string
  /** `"1.0"` or `"1.1"`, when set on the pre-load object. */
  apiVersion?: string
  /**
   * `false` on the pre-load object holds the first check until `start()`: nothing is sent or stored before.
   *
   * ```ts
   * window.lpTag = { autoStart: false }
   * // …later, once the page is ready to engage:
   * lpTag.start()
   * ```
   */
  autoStart?: boolean
  /** Starts a tag held by `autoStart: false`; does nothing more on a tag already started. */
  start(): void
  /** `true` once the document is parsed: scripts written for LivePerson's tag poll it. */
  isDom?: boolean
  /**
   * LivePerson's hooks that make sense without its chat window: `BEFORE_ENG_DISPLAY` (the look, or
   * `cancel: true`) and `BEFORE_SUBMIT_SDE` (`data.sdes`, redacted or dropped). One object in, one
   * object out; a hook that throws is logged and skipped.
   *
   * ```ts
   * lpTag.hooks.push({ name: 'BEFORE_SUBMIT_SDE', callback: (options) => {
   *   options.data.sdes = options.data.sdes.filter((sde) => sde.type !== 'personal')
   *   return options
   * } })
   * ```
   */
  hooks: { push(...hooks: Hook[]): number }
  /** LivePerson's Engagement Trigger API, for proactive scripts that accept an offer for the visitor. */
  taglets: { rendererStub: RendererStub }
  /** Set, so that LivePerson's standard snippet running later leaves `window.lpTag` to this tag. */
  _tagCount?: number
}

/** The options of `lpTag.newPage`; any other option (LivePerson's `taglets`) is ignored. */
export interface NewPageOptions {
  /** The new page view's sections: an array, or a comma-separated string. */
  section?: string[] | string
  /** SDEs of the new page view (those not sent yet from the last one go too). */
  sdes?: Sde[]
  [option: string]: unknown
}

/** One of `lpTag.hooks`: `callback` gets `{data}` and returns it (changed) — LivePerson's contract. */
export type Hook =
  | { name: 'BEFORE_ENG_DISPLAY'; callback(options: { data: { engagement: EngagementDetails; look: OfferLook; cancel: boolean } }): object }
  | { name: 'BEFORE_SUBMIT_SDE'; callback(options: { data: { sdes: Sde[] } }): object }

/** An offer's format (contract section 6). */
export type Format = 'peeling' | 'overlay' | 'toaster' | 'slideout' | 'embedded' | 'sticky'

/** How an offer looks: the catalog's fields (contract section 6), all optional. */
export interface OfferLook {
  format?: Format
  name?: string
  title?: string
  text?: string
  button?: string
  zone?: string
  validForSeconds?: number
  accent?: string
}

/** `lpTag.taglets.rendererStub`, as LivePerson's Engagement Trigger API documents it. */
export interface RendererStub {
  /** Accepts the offer showing for `engagementId` as the visitor would; `false` when none shows. */
  click(engagementId: string | number): boolean
  /** The engagement's `LP_OFFERS` data while it shows, else `{}`. */
  getEngagementInfo(engagementId: string | number): OfferEvent | Record<string, never>
  /** `{state, desc, engagementId}`: 1 `online` while it shows, 0 `NA` otherwise (2 is offline). */
  getEngagementState(engagementId: string | number): { state: 0 | 1 | 2; desc: 'NA' | 'online' | 'offline'; engagementId: string | number }
}

declare global {
  interface Window {
    /** The LivePerson engagement tag's API (see `LpTag`). */
    lpTag: LpTag
  }
  /** The LivePerson engagement tag's API, `window.lpTag` (see `LpTag`). */
  var lpTag: LpTag
}
