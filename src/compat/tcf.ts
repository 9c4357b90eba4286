import { own } from '../lib/checks.ts'

/**
 * `data-lp-consent="tcf"`: consent from the page's IAB TCF CMP (TCF 2.2 or later; the CMP API's
 * `__tcfapi('addEventListener', 2, …)`), as if the page called `lpTag.consent` (contract section 7).
 * Granted when the GDPR does not apply, or once the TC data is loaded or the visitor decided
 * (`tcloaded`, `useractioncomplete`) with purpose 1 (store and/or access information on a device)
 * consented: for the publisher, or with `vendor` in `purpose.consents` and for that vendor; a later
 * TC data without it withdraws consent. Until the CMP answers, consent stays pending. Read once the
 * document is parsed: the IAB has CMPs put their `__tcfapi` stub in the page before any other script.
 */
export function followTcf(vendor: number | undefined, consent: (granted: boolean) => void): void {
  const api = (window as { __tcfapi?: unknown }).__tcfapi
  if (typeof api !== 'function')
    return console.error('[lpTag] data-lp-consent is "tcf" but the page has no IAB TCF CMP (window.__tcfapi): nothing is sent or stored until one answers, or lpTag.consent(true) is called')
  /** Whether `section.consents[id]` is true in the TC data. */
  const consents = (data: unknown, section: string, id: number) => own(own(own(data, section), 'consents'), '' + id) === true
  try {
    api('addEventListener', 2, (data: unknown, success: unknown) => {
      if (!success) return
      if (own(data, 'gdprApplies') === false) return consent(true)
      const status = own(data, 'eventStatus')
      if (status === 'tcloaded' || status === 'useractioncomplete')
        consent(vendor ? consents(data, 'purpose', 1) && consents(data, 'vendor', vendor) : consents(data, 'publisher', 1))
    })
  } catch (error) {
    console.error("[lpTag] the page's IAB TCF CMP threw: consent stays pending until lpTag.consent(true)", error)
  }
}
