import type { ClientProperties } from './client.ts'
import type { Identity, Sde } from '../types.ts'

/** Where a request goes: the API origin and the account/app path parameters. */
export interface Endpoint {
  origin: string
  account: string
  app: string
  apiVersion: string
}

/** Everything that goes into one engagement request's body. */
export interface EngagementInput {
  /** `{host}/{account}`: the unauthenticated identity's issuer (reference: monitoring-api-notes, Identities). */
  iss: string
  sub: string
  identities: Identity[]
  client: ClientProperties
  pageUrl: string
  lang?: string
  sections: string[]
  entryPoints: string[]
  sdes: Sde[]
}

/**
 * `{origin}/api/account/{account}/app/{app}/{method}?v=&vid=&sid=&obh=false`; vid and sid are left
 * out while unknown (reference: monitoring-api-engagement, Query parameters).
 */
export function methodUrl(endpoint: Endpoint, method: 'engagement' | 'report', vid?: string, sid?: string): string {
  const query = new URLSearchParams({ v: endpoint.apiVersion })
  if (vid) query.set('vid', vid)
  if (sid) query.set('sid', sid)
  query.set('obh', 'false')
  // Account and app are validated to letters, digits, `_`, `.` and `-`: nothing to encode.
  const path = `/api/account/${endpoint.account}/app/${endpoint.app}/${method}`
  return `${endpoint.origin}${path}?${query}`
}

/** The page's URL without query or hash, which may carry personal data the page did not mean to send. */
function pageEntryPoint(href: string): string | undefined {
  try {
    const url = new URL(href)
    return /^https?:$/.test(url.protocol) ? url.origin + url.pathname : undefined
  } catch {
    return undefined
  }
}

export function engagementBody(input: EngagementInput) {
  const page = pageEntryPoint(input.pageUrl)
  const entryPoints = [
    ...(page ? [page] : []),
    ...input.sections.map((section) => `sec://${section}`),
    ...(input.lang ? [`lang://${input.lang}`] : []),
    ...input.entryPoints,
  ]
  return {
    identities: [{ iss: input.iss, acr: '0', sub: input.sub }, ...input.identities],
    clientProperties: input.client,
    entryPoints: [...new Set(entryPoints)],
    engagementAttributes: input.sdes,
  }
}
