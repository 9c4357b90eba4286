import { checkEngagement } from '../engagement.ts'
import { checking, consented, type Tag } from '../state.ts'
import { sendReport } from '../monitoring/report.ts'
import { beforeSubmit } from './store.ts'

/**
 * Delivers what `lpTag.sdes` holds unsent (contract section 2): with the Report method in the
 * offer's session while an offer shows, else with a new engagement check (they may make the visitor
 * eligible). Nothing goes while consent is pending, before `start()`, or while a check runs: that
 * check carries them, or calls this again when it ends.
 */
export function deliverSdes(tag: Tag): void {
  if (!consented(tag) || !tag.started || checking(tag) || !tag.sdes.pending()) return
  const offer = tag.current
  if (!offer) return void checkEngagement(tag)
  // Read before the hooks run: a hook may end the offer (consent(false), newPage, an accept).
  const { session } = offer
  const { sdes, settle } = tag.sdes.take()
  const sent = beforeSubmit(tag.hooks, sdes)
  if (sent.length) void sendReport(tag.config, session, sent, tag.grant.signal).then(settle)
  else settle(true)
}
