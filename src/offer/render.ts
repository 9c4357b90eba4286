import { dict } from '../checks.ts'
import { documentMember } from '../document.ts'
import { element, type FormatLook, type OfferHandlers } from './dom.ts'
import { embedded } from './formats/embedded.ts'
import { overlay } from './formats/overlay.ts'
import { peeling } from './formats/peeling.ts'
import { slideout } from './formats/slideout.ts'
import { sticky } from './formats/sticky.ts'
import { toaster } from './formats/toaster.ts'
import type { Format } from './payload.ts'
import { readableOn, sharedSheet, sheet } from './styles.ts'

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
  /**
   * The visible box, for the impression observer: the host itself, which every format sizes to
   * what it draws (the closed slideout's tab, the peeling card whose corner shows, the overlay
   * with its backdrop). The card would not do: a clip-path on it counts as hidden.
   */
  box: HTMLElement
  /** Takes the offer out of the DOM (and gives focus back where the overlay took it). */
  remove(): void
}

const LOOKS: Record<Format, FormatLook> = { peeling, overlay, toaster, slideout, embedded, sticky }

/** A `data-lp-action` button; its class is the action's initial (`.a`, `.c` in the shared CSS). */
function button(action: string, label: string, onClick: () => void): HTMLButtonElement {
  const control = element('button', action[0]!, label)
  control.setAttribute('data-lp-action', action)
  control.onclick = onClick
  return control
}

/**
 * Puts one offer in the page (contract section 6). `zone` is where an `embedded` offer goes; the
 * other formats are fixed-position children of `<body>`. Every format starts from the same card
 * (title, text, accept, close) in an open shadow root; its module adds CSS and behaviour.
 */
export function renderOffer(engagementId: string, view: OfferView, zone: Element | undefined, on: OfferHandlers): RenderedOffer {
  const look = LOOKS[view.format]
  const accent = view.accent ?? '#0b63ce'
  const host = document.createElement('div')
  host.setAttribute('data-lp-engagement', engagementId)
  host.setAttribute('data-lp-format', view.format)
  const root = host.attachShadow(dict({ mode: 'open' }))
  root.adoptedStyleSheets = [sharedSheet(), sheet(`${look.css}:host{--lp-accent:${accent}!important;--lp-on:${readableOn(accent)}!important}`)]

  const card = element('div', 'b')
  const title = element('p', 't', view.title)
  title.id = 't'
  card.setAttribute('role', 'region')
  card.setAttribute('aria-labelledby', 't')
  const accept = button('accept', view.button, on.accept)
  card.append(title, element('p', 'x', view.text), accept)
  let close: HTMLButtonElement | undefined
  if (view.format !== 'embedded') {
    close = button('close', '×', on.close)
    close.setAttribute('aria-label', 'Close')
    card.append(close)
  }
  root.append(card)
  if (zone) zone.append(host)
  else if ('showPopover' in host) {
    // The top layer: drawn over everything in the viewport, whatever z-index the page uses and
    // whatever `transform`, `filter`, `contain` or `will-change` on <body> would otherwise make the
    // containing block of a fixed-position box.
    host.popover = 'manual'
    documentMember('body')!.append(host)
    host.showPopover()
  }
  // Without popovers (Safari before 17, Firefox before 125), outside <body>, which is what such
  // styles are usually set on.
  else documentMember('documentElement')!.append(host)
  const undo = look.setup?.({ root, card, accept, close, view, on })
  return {
    host,
    box: host,
    remove() {
      host.remove()
      undo?.()
    },
  }
}
