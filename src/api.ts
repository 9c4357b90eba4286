import type { SdeStore } from './sdes/store.ts'
import { eraseStored, type IdentityStore } from './identity/visitor.ts'
import { asArray, own } from './lib/checks.ts'
import { sectionItems } from './config/resolve.ts'
import { checkEngagement } from './engagement.ts'
import { removeOffer } from './offer/lifecycle.ts'
import { checking, consented } from './lib/abort.ts'
import type { Tag } from './state.ts'
import type { EngagementResult, LpTag } from './types.ts'

/**
 * What the page asked before the tag was configured (the document not parsed yet), and the tag
 * once it is: the page API's view of start-up.
 */
export interface Startup {
  tag?: Tag
  /** A `newPage` called before configuration: the page view the first check is for. */
  page?: { url: string; section: unknown }
  /** `start()` called before configuration. */
  start?: boolean
  /** `consent()` called before configuration. */
  consent?: boolean
  /** The stored ids, read before the document was parsed (see `readIdsEarly`). */
  early?: { key: string; ids: IdentityStore }
  /** Settles once configuration is done: with the tag, or with why there is none. */
  configured: Promise<Tag | EngagementResult>
  sdes: SdeStore
}

/**
 * A new page view's sections: the valid ones `newPage` gave (an array or a comma-separated string;
 * what is wrong in it is dropped with one warning), else the page view's before.
 */
export function pageSections(section: unknown, before: string[]): string[] {
  if (section === undefined) return before
  const [sections, dropped] = sectionItems(section)
  if (dropped) console.warn('[lpTag] newPage section entries ignored: comma-separated or an array, each 1-100 chars, no control characters')
  return sections
}

/**
 * The page view's check, once configured, consented and started, unless one runs or already got
 * its answer (consent withdrawn mid-check and given again resumes it); then what SDEs wait, go.
 */
export function resume(tag: Tag | undefined): void {
  if (!tag || tag.answered || checking(tag) || !consented(tag) || !tag.started) return tag?.flush()
  void checkEngagement(tag)
}

/**
 * `data-lp-refresh`: the page view's re-check, when its countdown ends. A check that runs arms the
 * next countdown itself; an offer still waiting for its UI is given another round.
 */
export function recheck(tag: Tag): void {
  if (!consented(tag) || !tag.started || checking(tag)) return
  if (tag.starting) return tag.refresh?.arm()
  void checkEngagement(tag, tag.asked, true)
}

/** `getEngagement`, `start`, `consent` and `newPage` (contract section 2), callable at any moment. */
export function pageApi(startup: Startup): Pick<LpTag, 'getEngagement' | 'start' | 'consent' | 'newPage'> {
  return {
    getEngagement: (request) =>
      startup.configured.then((ready) => {
        if (!('config' in ready)) return ready
        // What the page asked for this page view (its sections, its app details), for the checks the
        // tag makes by itself: a re-check without them would take away an offer the page asked for.
        ready.asked = { consumerSections: own(request, 'consumerSections'), appDetails: own(request, 'appDetails') }
        return checkEngagement(ready, request)
      }),
    start() {
      startup.start = true
      if (startup.tag) startup.tag.started = true
      resume(startup.tag)
    },
    consent(granted) {
      const given = (startup.consent = granted === true)
      const { tag } = startup
      // Withdrawn before the tag is configured (the document not parsed yet): what an earlier
      // visit stored goes all the same.
      if (!tag) return void (given || (startup.early?.ids.clear(), eraseStored()))
      if (given) {
        // Given again, not merely confirmed: re-checks go on from now (a consent manager calling
        // this on every page event must not postpone them for ever).
        const regained = !consented(tag)
        if (regained) tag.grant = new AbortController()
        resume(tag)
        if (regained && tag.answered && !checking(tag)) tag.refresh?.arm()
        return
      }
      // Everything that could still send or store stops first: the request in flight, reports
      // waiting to retry, the stored ids; then the offer goes (its listeners run page code).
      tag.grant.abort()
      tag.inflight?.abort()
      tag.ids.clear()
      tag.refresh?.stop()
      removeOffer(tag)
    },
    newPage(url, options) {
      let href = location.href
      try {
        if (typeof url === 'string') href = new URL(url, href).href
      } catch {}
      // `taglets` and any other option LivePerson's tag knows are not this tag's: left alone.
      const section = own(options, 'section')
      // What no request carried yet stays: a purchase pushed just before navigating still goes.
      startup.sdes.reset(asArray(own(options, 'sdes')))
      const { tag } = startup
      // Before the document is parsed (a router's first route): the first check is for this page.
      if (!tag) return void (startup.page = { url: href, section })
      tag.inflight?.abort()
      removeOffer(tag)
      tag.page = { url: href, sections: pageSections(section, tag.page.sections) }
      tag.answered = false
      tag.decided.clear()
      tag.asked = {}
      resume(tag)
    },
  }
}
