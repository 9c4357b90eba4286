import { checking, consented } from '../lib/abort.ts'
import type { Endpoint } from '../monitoring/request.ts'
import { sendReport, type ReportSession } from '../monitoring/report.ts'
import { beforeSubmit, type SdeStore } from './store.ts'

/** What of the running tag SDE delivery uses. */
export interface DeliveryContext {
  config: Endpoint
  sdes: SdeStore
  hooks: Parameters<typeof beforeSubmit>[0]
  grant: AbortController
  inflight?: AbortController
  started: boolean
  /** The offer showing, whose session SDEs pushed meanwhile go to. */
  current?: { session: ReportSession }
  /** An offer about to show (its UI loading): its session takes them as well. */
  starting?: { session: ReportSession }
}

/**
 * Delivers what `lpTag.sdes` holds unsent (contract section 2): with the Report method in the
 * offer's session while an offer shows or is about to, else with a new engagement check (`check`: they may make
 * the visitor eligible). Nothing goes while consent is pending, before `start()`, or while a check
 * runs: that check carries them, or calls this again when it ends.
 */
export function deliverSdes(tag: DeliveryContext, check: () => void): void {
  if (!consented(tag) || !tag.started || checking(tag) || !tag.sdes.pending()) return
  const offer = tag.current ?? tag.starting
  if (!offer) return check()
  // Read before the hooks run: a hook may end the offer (consent(false), newPage, an accept).
  const { session } = offer
  const { sdes, settle } = tag.sdes.take()
  const sent = beforeSubmit(tag.hooks, sdes)
  if (sent.length) void sendReport(tag.config, session, sent, tag.grant.signal).then(settle)
  else settle(true)
}
