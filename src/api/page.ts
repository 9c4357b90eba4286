import { sectionItems, SECTION_RULE } from '../config/resolve.ts'
import { asArray, isArray, isId, own } from '../lib/checks.ts'
import { notAvailable, type Asked, type PageView } from '../pageview/machine.ts'
import type { LpTag, Sde } from '../types.ts'

/**
 * `getEngagement`, `start`, `consent` and `newPage` (contract section 2): each turns a page's call,
 * at any moment, into an intent of the page view, with what the page gave checked first. Before
 * configuration the page view holds them itself; none of them throws into the page.
 */
export function pageApi(pv: PageView, accept: (sdes: unknown[]) => Sde[]): Pick<LpTag, 'getEngagement' | 'start' | 'consent' | 'newPage'> {
  return {
    getEngagement: (request) =>
      new Promise((resolve) => {
        try {
          pv.getEngagement(asked(request, accept), resolve)
        } catch (error) {
          resolve(notAvailable({ code: 'internal', message: `the engagement check failed: ${error}` }))
        }
      }),
    start: () => pv.start(),
    consent: (granted) => pv.consent(granted === true),
    newPage(url, options) {
      let href = location.href
      try {
        if (typeof url === 'string') href = new URL(url, href).href
      } catch {}
      // `taglets` and any other option LivePerson's tag knows are not this tag's: left alone.
      const section = own(options, 'section')
      pv.newPage(href, section === undefined ? undefined : sections(section, 'newPage section'), accept(asArray(own(options, 'sdes'))))
    },
  }
}

/** Sections a page gives later (`newPage`, `consumerSections`): the valid ones; what is wrong in them is dropped with one warning. */
export function sections(value: unknown, name: string): string[] {
  const [items, dropped] = sectionItems(value)
  if (dropped) console.warn(`[lpTag] ${name} entries ignored: ${SECTION_RULE}`)
  return items
}

/**
 * The JS Chat SDK's request (reference: chat-sdk-getEngagement), read by own properties (a
 * polluted prototype gives no vid or sid): `consumerSections` become sections, `engagementAttributes`
 * valid SDEs, `appDetails` the documented `clientProperties` fields (`ipAddress` is never sent).
 */
function asked(request: unknown, accept: (sdes: unknown[]) => Sde[]): Asked {
  const field = (name: string) => own(request, name)
  const appDetails: Record<string, string> = {}
  for (const [name, allowed] of [['appVersion'], ['deviceFamily', 'DESKTOP TABLET MOBILE'], ['os', 'WINDOWS MAC_OSX LINUX IOS ANDROID'], ['osVersion']]) {
    const value = own(field('appDetails'), name!)
    if (typeof value === 'string' && (allowed ? allowed.split(' ').includes(value) : value && value.length < 65)) appDetails[name!] = value
  }
  const consumerSections = field('consumerSections')
  return {
    vid: isId(field('vid')) ? field('vid') : undefined,
    sid: isId(field('sid')) ? field('sid') : undefined,
    sections: isArray(consumerSections) ? asArray(consumerSections).filter((item): item is string => typeof item === 'string') : undefined,
    sdes: accept(asArray(field('engagementAttributes'))),
    appDetails,
  }
}
