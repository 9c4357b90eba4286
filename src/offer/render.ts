import type { Format } from './payload.ts'

/** What an offer shows: from the brand's catalog, with defaults. */
export interface OfferView {
  format: Format
  title: string
  text: string
  button: string
  /** A validated `#rgb` or `#rrggbb` colour. */
  accent?: string
}

export interface RenderedOffer {
  /** The host element in the page (`data-lp-engagement`, `data-lp-format`), with an open shadow root. */
  host: HTMLElement
  /** The visible box, for the impression observer. */
  box: HTMLElement
  /** Takes the offer out of the DOM (and gives focus back where the overlay took it). */
  remove(): void
}

/**
 * Puts one offer in the page. `zone` is where an `embedded` offer goes; the other formats are
 * fixed-position children of `<body>`. Placeholder: the formats module replaces this.
 */
export function renderOffer(
  engagementId: string,
  view: OfferView,
  zone: Element | null,
  on: { accept(): void; close(): void },
): RenderedOffer {
  const host = document.createElement('div')
  host.setAttribute('data-lp-engagement', engagementId)
  host.setAttribute('data-lp-format', view.format)
  const root = host.attachShadow({ mode: 'open' })
  const box = document.createElement('div')
  const accept = document.createElement('button')
  accept.setAttribute('data-lp-action', 'accept')
  accept.textContent = view.button
  accept.onclick = on.accept
  box.append(accept)
  if (view.format !== 'embedded') {
    const close = document.createElement('button')
    close.setAttribute('data-lp-action', 'close')
    close.setAttribute('aria-label', 'Close')
    close.onclick = on.close
    box.append(close)
  }
  root.append(box)
  ;(zone ?? document.body).append(host)
  return { host, box, remove: () => host.remove() }
}
