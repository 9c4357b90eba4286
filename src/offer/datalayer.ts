import type { LpEvents } from '../types.ts'

/**
 * `data-lp-datalayer`: mirrors every `LP_OFFERS` event into Google Tag Manager's `window.dataLayer`
 * as `{event: "lp_offer_display", lpOffer: data}`, so GTM triggers need no custom listener.
 */
export function mirrorToDataLayer(bus: LpEvents): void {
  bus.bind('LP_OFFERS', '*', (data, { eventName }) => {
    const w = window as unknown as { dataLayer?: unknown[] }
    w.dataLayer = w.dataLayer || []
    // The hand-off's visitor and session ids are for the page's chat, not for every tag GTM runs.
    const { handoff: _, ...offer } = (data ?? {}) as { handoff?: unknown }
    w.dataLayer.push({ event: `lp_${eventName.toLowerCase()}`, lpOffer: offer })
  })
}
