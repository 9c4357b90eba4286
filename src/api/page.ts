import { sectionItems, SECTION_RULE } from '../config/resolve.ts'
import { asArray, dict, isArray, isId, own } from '../lib/checks.ts'
import { consent, getEngagement, newPage, notAvailable, start, type Asked, type State } from '../pageview/machine.ts'
import type { LpTag, Sde } from '../types.ts'

/**
 * `getEngagement`, `start`, `consent` and `newPage` (contract section 2): each turns a page's call,
 * at any moment, into an intent of the page view, what the page gave checked first. Before
 * configuration the page view holds them itself; none of them throws into the page.
 */
export function pageApi(pv: State, accept: (sdes: unknown[]) => Sde[]): Pick<LpTag, 'getEngagement' | 'start' | 'consent' | 'newPage'> {
  return {
    getEngagement: (request) =>
      new Promise((resolve) => {
        try {
          getEngagement(pv, asked(request, accept), resolve)
        } catch (error) {
          resolve(notAvailable({ code: 'internal', message: `the engagement check failed: ${error}` }))
        }
      }),
    start: () => start(pv),
    consent: (granted) => consent(pv, granted === true),
    newPage(url, options) {
      let href = location.href
      try {
        if (typeof url === 'string') href = new URL(url, href).href
      } catch {}
      // `taglets` and any other option LivePerson's tag knows are not this tag's: left alone.
      const section = own(options, 'section')
      let sections: string[] | undefined
      if (section !== undefined) {
        const [items, dropped] = sectionItems(section)
        if (dropped) console.warn(`[lpTag] newPage section entries ignored: ${SECTION_RULE}`)
        sections = items
      }
      newPage(pv, href, sections, accept(asArray(own(options, 'sdes'))))
    },
  }
}

/**
 * The JS Chat SDK's request (reference: chat-sdk-getEngagement), read by own properties (a
 * polluted prototype gives no vid or sid): `consumerSections` become sections, `engagementAttributes`
 * valid SDEs, `appDetails` the documented `clientProperties` fields (`ipAddress` is never sent).
 */
function asked(request: unknown, accept: (sdes: unknown[]) => Sde[]): Asked {
  const field = (name: string) => own(request, name)
  const appDetails: Record<string, string> = dict({})
  for (const [name, allowed] of [['appVersion'], ['deviceFamily', 'DESKTOP TABLET MOBILE'], ['os', 'WINDOWS MAC_OSX LINUX IOS ANDROID'], ['osVersion']]) {
    const value = own(field('appDetails'), name!)
    if (typeof value === 'string' && (allowed ? allowed.split(' ').includes(value) : value && value.length < 65)) appDetails[name!] = value
  }
  const sections = field('consumerSections')
  return dict({
    vid_: isId(field('vid')) ? field('vid') : undefined,
    sid_: isId(field('sid')) ? field('sid') : undefined,
    sections_: isArray(sections) ? (asArray(sections).filter((item) => typeof item === 'string') as string[]) : undefined,
    sdes_: accept(asArray(field('engagementAttributes'))),
    appDetails_: appDetails,
  })
}
