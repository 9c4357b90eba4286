/**
 * The page view's two controllers, read the same everywhere: `grant` holds while consent is given,
 * `inflight` while the current engagement check runs.
 */

/** An aborted controller: consent not given (yet). */
export const withheld = (): AbortController => {
  const controller = new AbortController()
  controller.abort()
  return controller
}

/** Whether consent allows sending and storing now. */
export const consented = (view: { grant: AbortController }): boolean => !view.grant.signal.aborted

/** Whether a check runs (one replaced by a newer check, `newPage` or `consent(false)` does not). */
export const checking = (view: { inflight?: AbortController }): boolean => !!view.inflight && !view.inflight.signal.aborted
