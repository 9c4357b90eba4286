/**
 * Public types of the tag: what integrators see on `window.lpTag`, the events it publishes and the
 * onEngagement result. Emitted as `dist/tag.d.ts`.
 */

/** Which app published an event: `LP_OFFERS` (offer lifecycle), `LP_TAG` (diagnostics), or any other. */
export type AppName = 'LP_OFFERS' | 'LP_TAG' | (string & {})

/** The second argument every listener receives. */
export interface EventInfo {
  appName: string
  eventName: string
}

export type EventCallback<T = any> = (data: T, info: EventInfo) => void

/** The object form of `lpTag.events.bind`. */
export interface BindOptions<T = any> {
  /** Defaults to `"*"` (any app). */
  appName?: string
  /** `"*"` matches any event. */
  eventName: string
  func: EventCallback<T>
  /** `this` inside `func`. */
  context?: unknown
  /** Unbind after the first call. */
  triggerOnce?: boolean
  /** Call `func` in a later task instead of during `trigger`. */
  async?: boolean
}

/** The object form of `lpTag.events.unbind`: every given field must match. */
export interface UnbindOptions {
  appName?: string
  eventName?: string
  func?: EventCallback
}

/** One entry of `lpTag.events.hasFired`. */
export interface FiredEvent<T = any> {
  appName: string
  eventName: string
  data: T
}

/**
 * `lpTag.events`, the page's event bus.
 *
 * @example
 * lpTag.events.bind('LP_OFFERS', 'OFFER_CLICK', (data) => analytics.track('chat offer', data))
 * lpTag.events.hasFired('LP_OFFERS', '*') // everything that already happened
 */
export interface LpEvents {
  /** Listen to `appName`/`eventName` (`"*"` for any); returns an id for `unbind`. */
  bind<T = any>(appName: string, eventName: string, func: EventCallback<T>): string
  bind<T = any>(options: BindOptions<T>): string
  /** Stop listening, by the id `bind` returned or by matching fields; true when something was unbound. */
  unbind(idOrOptions: string | UnbindOptions): boolean
  /** Publish an event; returns whether a listener ran. The event is kept for `hasFired`. */
  trigger(appName: string, eventName: string, data?: unknown): boolean
  /** Past events that match (`"*"` for any), oldest first. */
  hasFired<T = any>(appName: string, eventName: string): FiredEvent<T>[]
}

/** The `engagementDetails` of an available engagement (Chat SDK onEngagement shape). */
export interface EngagementDetails {
  campaignId: number | string
  engagementId: number | string
  contextId: string
  windowId?: string
  language?: string
  engagementRevision: number | string
  validForSeconds: number
  connectorId?: number | string
  skillId?: number
  skillName?: string
}

/** An open conversation for this visitor: no offer is shown. */
export interface OpenConversation {
  conversationId: string
  campaignId: number | string
  engagementId: number | string
  connectorId?: number | string
}

/**
 * What `lpTag.getEngagement()` resolves to, what `lpTag.onEngagement` is called with and what
 * `LP_TAG`/`ENGAGEMENT` carries.
 */
export interface EngagementResult {
  status: 'Available' | 'NotAvailable'
  sessionId?: string
  visitorId?: string
  pageId?: string
  engagementDetails?: EngagementDetails
  conversation?: OpenConversation
  /** Present when the tag gave up (`unavailable`), the API refused the request, or configuration is wrong. */
  error?: TagError
}

/** `LP_TAG`/`ERROR` data. */
export interface TagError {
  /** `config`, `unavailable`, `rejected`, `zone`, `storage`. */
  code: string
  message: string
}

/** `LP_TAG`/`RETRY` data: a retry is scheduled after `delayMs`. `status` is 0 for network errors and time-outs. */
export interface RetryInfo {
  attempt: number
  delayMs: number
  status: number
}

/** An engagement attribute (SDE) as pushed by the page, e.g. `{type: 'cart', total: 11.7}`. */
export interface Sde {
  type: string
  [field: string]: unknown
}

/** An authenticated identity. */
export interface Identity {
  iss: string
  acr: 'loa1'
  sub: string
}

/** The JS Chat SDK getEngagement request shape accepted by `lpTag.getEngagement`. */
export interface EngagementRequest {
  vid?: string
  sid?: string
  consumerSections?: string[]
  engagementAttributes?: Sde[]
  appDetails?: {
    appVersion?: string
    deviceFamily?: 'DESKTOP' | 'TABLET' | 'MOBILE'
    os?: 'WINDOWS' | 'MAC_OSX' | 'LINUX' | 'IOS' | 'ANDROID'
    osVersion?: string
  }
}

/** `lpTag.sdes`: engagement attributes queued before load are consumed. */
export interface LpSdes {
  /** Validate and keep SDEs; they go with the next request. */
  push(...sdes: (Sde | Sde[])[]): number
  /** Validate and send now (an engagement request when no offer is showing). */
  send(sdes: Sde | Sde[]): void
  /** The SDEs held for this page, optionally of one type. */
  get(type?: string): Sde[]
}

/** `window.lpTag` once the tag has loaded. */
export interface LpTag {
  events: LpEvents
  sdes: LpSdes
  identities: { push(...identities: (Identity | ((cb: (identity: Identity) => void) => void))[]): number }
  /** Single-page-app navigation: removes the current offer and starts a new page view. */
  newPage(url: string, options?: { section?: string[]; sdes?: Sde[] }): void
  /** A fresh engagement check. */
  getEngagement(request?: EngagementRequest): Promise<EngagementResult>
  /** Called with every onEngagement result when a page assigns it. */
  onEngagement?: (result: EngagementResult) => void
  /** Grant (`true`) or withdraw (`false`) consent; withdrawing deletes stored ids. */
  consent(granted: boolean): void
  /** Open the debug panel. */
  debug(): void
  loaded: boolean
  version: string
  site?: string
  app?: string
  domain?: string
  section?: string[] | string
  apiVersion?: string
}
