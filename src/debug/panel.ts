/**
 * The debug panel, `dist/debug.js`: loaded on demand by `lpTag.debug()` (never imported by the tag).
 * It reads the running tag through `lpTag.events` (history and live) and the internal
 * `lpTag._debugPort` (request log, ids, forget), and renders in its own shadow root with
 * constructable stylesheets, text only.
 */
import { documentMember } from '../lib/page.ts'

interface Fired {
  appName: string
  eventName: string
  data: unknown
}

interface LogEntry {
  at: number
  url?: string
  status?: number
  ms?: number
  text?: string
  retry?: number
  delayMs?: number
  fireAt?: number
}

interface Port {
  log: LogEntry[]
  ids(): Promise<(Record<string, string | undefined> & { where: string }) | undefined>
  forget(): Promise<void> | undefined
  show?: () => void
}

interface Bus {
  bind(appName: string, eventName: string, fn: (data: unknown, event: { eventName: string }) => void): string
  unbind(id: string): boolean
  hasFired(appName: string, eventName: string): Fired[]
}

const lpTag = (window as unknown as { lpTag?: { events?: Bus; _debugPort?: Port; getEngagement?: () => Promise<unknown> } }).lpTag
const HOST_ID = 'lp-debug-host'

const CSS = `:host{all:initial!important;display:block!important;position:fixed!important;right:8px!important;bottom:8px!important;z-index:2147483647!important;width:min(520px,calc(100vw - 16px))!important;font:13px/1.4 system-ui,sans-serif!important;color:#1b1f24!important}
:host([hidden]){display:none!important}
:host([data-dock=left]){right:auto!important;left:8px!important}
*{box-sizing:border-box;font:inherit;color:inherit}
.p{background:#fff;border:1px solid #4a5360;border-radius:10px;box-shadow:0 8px 28px #0004;max-height:min(75vh,720px);overflow:auto;padding:0 14px 14px}
header{position:sticky;top:0;background:#fff;display:flex;align-items:center;gap:8px;padding:10px 0 8px;border-bottom:1px solid #d0d5db}
h2{flex:1;margin:0;font-size:15px;font-weight:700}
h3{margin:14px 0 6px;font-size:13px;font-weight:700;text-transform:uppercase;letter-spacing:.04em}
button{min-height:32px;padding:0 10px;border:1px solid #1b1f24;border-radius:6px;background:#fff;cursor:pointer;font-weight:600}
button:hover{background:#eef0f3}
.x{min-width:32px;font-size:18px;line-height:1}
:focus-visible{outline:2px solid #0b4fa8;outline-offset:2px}
.a{display:flex;flex-wrap:wrap;gap:6px;margin-top:10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:2px 6px 2px 0;border-bottom:1px solid #eef0f3;word-break:break-all}
th{font-weight:600;white-space:nowrap;word-break:normal}
ol{list-style:none;margin:0;padding:0}
li{padding:3px 0;border-bottom:1px solid #eef0f3}
pre{margin:2px 0 0;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace;color:#3d4551}
.m{color:#4a5360}
.e{color:#a4161a;font-weight:600}
.w{color:#8a4b00;font-weight:600}
@media(max-width:600px){:host{inset:auto 0 0!important;width:auto!important}.p{max-height:50vh;border-radius:12px 12px 0 0}.d{display:none}}
label{display:flex;gap:6px;align-items:center;margin-bottom:6px}
input{flex:1;min-height:30px;padding:0 8px;border:1px solid #4a5360;border-radius:6px}
textarea{width:100%;height:10em;font:12px ui-monospace,monospace;margin-top:8px}`

/** An element with text (never parsed as HTML) and children. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | null, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (text != null) node.textContent = text
  node.append(...children)
  return node
}

/** Any value as text, never throwing: a page's event data may have a throwing `toJSON` or `toString`. */
const json = (value: unknown, max = 2000) => {
  let text: string
  try {
    text = JSON.stringify(value, null, 1) ?? String(value)
  } catch {
    try {
      text = String(value)
    } catch {
      // A revoked Proxy refuses even Object.prototype.toString.
      text = '(unreadable)'
    }
  }
  return text.length > max ? text.slice(0, max) + '…' : text
}

/** The visitor's own clock, to the millisecond: what the person debugging compares with. */
const time = (at: number) => {
  const date = new Date(at)
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, '0')}`
}

/** The `internalCode` of a JSON answer, if it has one. */
function internalCode(text = ''): unknown {
  try {
    const body = JSON.parse(text)
    return body && typeof body === 'object' ? body.internalCode : undefined
  } catch {
    return undefined
  }
}

/** The method a logged URL called: `engagement` or `report`. */
const method = (url = '') => {
  try {
    return new URL(url).pathname.split('/').pop() || url
  } catch {
    return url
  }
}

/** The offer showing: the last LP_OFFERS START not followed by an OFFER_REMOVE. */
function currentOffer(events: Fired[]): unknown {
  let offer: unknown
  for (const e of events) {
    if (e.appName !== 'LP_OFFERS') continue
    if (e.eventName === 'START') offer = e.data
    else if (e.eventName === 'OFFER_REMOVE') offer = undefined
  }
  return offer
}

/**
 * Offers live in the top layer (popovers), drawn in the order they were shown: the panel shows
 * itself again after each one, so it stays above them. Without popovers, offers and panel share
 * the highest z-index at the end of `<html>`, where the last one wins: the panel goes last again.
 */
function raise(host: HTMLElement) {
  if (!('showPopover' in host)) return void documentMember('documentElement')!.append(host)
  if (host.matches(':popover-open')) host.hidePopover()
  host.showPopover()
}

type Ids = Awaited<ReturnType<Port['ids']>>

const table = (rows: [string, string, string?][], head: string[]) =>
  el(
    'table',
    null,
    el('thead', null, el('tr', null, ...head.map((h) => el('th', h)))),
    el('tbody', null, ...rows.map((cells) => el('tr', null, el('th', cells[0]), ...cells.slice(1).map((c) => el('td', c ?? ''))))),
  )

const NOT_STARTED = 'The tag did not start: its configuration is wrong'

/** The configuration as resolved, with each key's source; or why there is none. */
function configuration(bus: Bus): Node[] {
  const ready = bus.hasFired('LP_TAG', 'READY').pop()?.data as { config?: Record<string, unknown>; sources?: Record<string, string> } | undefined
  const error = bus.hasFired('LP_TAG', 'ERROR').filter((e) => (e.data as { code?: string })?.code === 'config').pop()
  if (error) {
    const message = String((error.data as { message?: string }).message ?? '').replace(/\[lpTag\] /g, '')
    const p = el('p', `${NOT_STARTED}. ${message}.`)
    p.className = 'e'
    return [p, el('p', 'Fix: set it on the tag\'s script (data-lp-*) or on window.lpTag.')]
  }
  if (!ready?.config) return [el('p', 'Waiting for the document to load.')]
  const sources = ready.sources ?? {}
  const config = ready.config
  // Keys the config holds under another name than the source table (domain → origin, section → sections).
  const rows = Object.keys(config).map((key): [string, string, string] => {
    const sourceKey = key === 'origin' ? 'domain' : key === 'sections' ? 'section' : key
    return [key, typeof config[key] === 'string' ? (config[key] as string) : json(config[key]), sources[sourceKey] ?? (key === 'host' ? 'from domain' : 'default')]
  })
  return [table(rows, ['Key', 'Value', 'Source'])]
}

function visitor(ids: Ids): Node[] {
  if (!ids) return [el('p', 'No ids yet.')]
  const rows: [string, string][] = ['vid', 'sid', 'sub'].map((k) => [k, ids[k] ?? '(none)'])
  rows.push(['stored in', ids.where === 'indexeddb' ? 'IndexedDB (lp-tag / ids)' : 'memory only (lost on reload)'])
  return [table(rows, ['Id', 'Value'])]
}

function requests(port: Port | undefined): Node[] {
  const log = port?.log ?? []
  if (!log.length) return [el('li', 'No request yet.')]
  return log.map((entry) => {
    if (entry.retry !== undefined) {
      const left = (entry.fireAt ?? 0) - Date.now()
      const when = left > 0 ? `fires in ${(left / 1000).toFixed(1)} s` : 'sent'
      const retry = el('li', `${time(entry.at)} retry ${entry.retry} after ${(entry.delayMs ?? 0) / 1000} s: ${when}`)
      retry.className = 'w'
      return retry
    }
    const code = internalCode(entry.text)
    const line = `${time(entry.at)} ${method(entry.url)} ${entry.status === 0 ? '0 (network error or time-out)' : entry.status}${code !== undefined ? ` internalCode ${code}` : ''} · ${entry.ms} ms`
    const item = el('li', line)
    // Failures stand out: no answer or an error status in red, "Loading account" (202) in amber.
    const status = entry.status ?? 0
    item.className = status === 0 || status >= 400 ? 'e' : status === 202 ? 'w' : ''
    item.title = entry.url ?? ''
    if (entry.text) item.append(el('pre', entry.text))
    return item
  })
}

/** The events whose app and event names contain every word of the filter, the last 300. */
function events(bus: Bus, filter: string): Node[] {
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean)
  const all = bus.hasFired('*', '*')
  const shown = all.filter((e) => words.every((w) => `${e.appName} ${e.eventName}`.toLowerCase().includes(w))).slice(-300)
  if (!shown.length) return [el('li', all.length ? 'No event matches the filter.' : 'No event yet.')]
  return shown.map((e) => el('li', null, el('strong', `${e.appName} ${e.eventName}`), el('pre', json(e.data))))
}

function offer(bus: Bus): Node[] {
  const current = currentOffer(bus.hasFired('*', '*'))
  return current ? [el('pre', json(current))] : [el('p', 'No offer is showing.')]
}

/** The panel's elements, in the host's shadow root. */
function layout(host: HTMLElement) {
  const root = host.attachShadow({ mode: 'open' })
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(CSS)
  root.adoptedStyleSheets = [sheet]
  const heading = el('h2', 'lpTag debug')
  heading.id = 'lp-debug-title'
  const view = {
    close_: el('button', '×'),
    // Docks to the other side so the panel never hides the part of the page being debugged.
    dock_: el('button', 'Move to the left'),
    status_: el('p'),
    check_: el('button', 'Check again'),
    forget_: el('button', 'Forget visitor'),
    copy_: el('button', 'Copy report'),
    report_: el('textarea'),
    configBox_: el('div'),
    visitorBox_: el('div'),
    offerBox_: el('div'),
    requestList_: el('ol'),
    eventList_: el('ol'),
    filter_: el('input'),
    panel_: el('div'),
  }
  view.close_.className = 'x'
  view.dock_.className = 'd'
  view.close_.setAttribute('aria-label', 'Close debug panel')
  view.status_.className = 'm'
  view.status_.setAttribute('role', 'status')
  const actions = el('div', null, view.check_, view.forget_, view.copy_)
  actions.className = 'a'
  view.report_.hidden = true
  view.report_.readOnly = true
  view.report_.setAttribute('aria-label', 'Report to copy')
  view.filter_.type = 'search'
  view.filter_.placeholder = 'e.g. LP_OFFERS or START'
  const section = (title: string, ...children: Node[]) => el('section', null, el('h3', title), ...children)
  const { panel_: panel } = view
  panel.append(
    el('header', null, heading, view.dock_, view.close_),
    actions,
    view.status_,
    view.report_,
    // The request timeline first: what the person debugging asks first is what went out and came back.
    section('Requests', view.requestList_),
    section('Current offer', view.offerBox_),
    section('Configuration', view.configBox_),
    section('Visitor', view.visitorBox_),
    section('Events', el('label', 'Filter by app or event', view.filter_), view.eventList_),
  )
  panel.className = 'p'
  panel.setAttribute('role', 'dialog')
  panel.setAttribute('aria-modal', 'false')
  panel.setAttribute('aria-labelledby', heading.id)
  root.append(panel)
  return view
}
type View = ReturnType<typeof layout>

/** Copies a report of everything the panel knows; into a text box when the clipboard is refused. */
async function copyReport(view: View, bus: Bus, port: Port | undefined, ids: Ids) {
  const events = bus.hasFired('*', '*')
  const ready = bus.hasFired('LP_TAG', 'READY').pop()?.data
  // Each event's data as JSON it survives (a page's event may carry a revoked Proxy or a cycle).
  const plain = (data: unknown) => {
    try {
      return JSON.parse(JSON.stringify(data) ?? 'null')
    } catch {
      return json(data)
    }
  }
  const text = JSON.stringify(
    { page: location.href, userAgent: navigator.userAgent, at: new Date().toISOString(), ready, ids, requests: port?.log ?? [], offer: currentOffer(events), events: events.map((e) => ({ appName: e.appName, eventName: e.eventName, data: plain(e.data) })) },
    null,
    2,
  )
  const { report_: report, status_: status } = view
  try {
    await navigator.clipboard.writeText(text)
    report.hidden = true
    status.textContent = 'Report copied.'
  } catch {
    report.value = text
    report.hidden = false
    report.focus()
    report.select()
    status.textContent = 'The clipboard was refused: the report is in the box below.'
  }
}

/** The buttons, the filter and Escape. */
function wire(host: HTMLElement, view: View, bus: Bus, port: Port | undefined, refreshIds: () => Promise<void>, ids: () => Ids) {
  const { dock_: dock, status_: status } = view
  dock.addEventListener('click', () => {
    const left = host.getAttribute('data-dock') !== 'left'
    host.setAttribute('data-dock', left ? 'left' : 'right')
    dock.textContent = left ? 'Move to the right' : 'Move to the left'
  })
  view.filter_.addEventListener('input', () => {
    // The panel never throws into the page, whatever an event carries.
    try {
      view.eventList_.replaceChildren(...events(bus, view.filter_.value))
    } catch {}
  })
  const hide = () => {
    host.hidden = true
  }
  view.close_.addEventListener('click', hide)
  view.panel_.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide()
  })
  view.check_.addEventListener('click', () => {
    status.textContent = 'Checking…'
    void lpTag?.getEngagement?.().then(
      (result) => (status.textContent = `Checked: ${(result as { status?: string })?.status ?? 'done'}`),
      () => (status.textContent = 'The check failed.'),
    )
  })
  view.forget_.addEventListener('click', async () => {
    await port?.forget()
    status.textContent = 'Visitor forgotten: the next request goes without vid and sid.'
    await refreshIds()
  })
  view.copy_.addEventListener('click', () => copyReport(view, bus, port, ids()))
}

/** Renders every section again at most once per task, as events arrive, and the request log as retries count down. */
function follow(host: HTMLElement, view: View, bus: Bus, port: Port | undefined) {
  let ids: Ids
  let lastLog = ''
  const renderRequests = () => {
    const log = port?.log ?? []
    const waiting = log.some((e) => (e.fireAt ?? 0) > Date.now() - 1000)
    const key = `${log.length}|${log[log.length - 1]?.at}`
    if (!waiting && key === lastLog) return
    lastLog = key
    view.requestList_.replaceChildren(...requests(port))
  }
  const render = () => {
    // Opened on the timeline: a configuration error, which sends nothing, is named at the top.
    if (bus.hasFired('LP_TAG', 'ERROR').some((e) => (e.data as { code?: string })?.code === 'config')) {
      view.status_.textContent = `${NOT_STARTED} (see Configuration below).`
      view.status_.className = 'e'
    }
    view.configBox_.replaceChildren(...configuration(bus))
    view.visitorBox_.replaceChildren(...visitor(ids))
    view.offerBox_.replaceChildren(...offer(bus))
    view.eventList_.replaceChildren(...events(bus, view.filter_.value))
    lastLog = ''
    renderRequests()
  }
  const refreshIds = async () => {
    try {
      ids = await port?.ids()
    } catch {}
    view.visitorBox_.replaceChildren(...visitor(ids))
  }
  let scheduled = false
  const update = (_data?: unknown, event?: { eventName: string }) => {
    if (event?.eventName === 'OFFER_DISPLAY') raise(host)
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      // The panel never throws into the page, whatever an event carries.
      try {
        render()
      } catch (error) {
        view.status_.textContent = `The panel could not show everything: ${json(error, 200)}`
      }
      void refreshIds()
    })
  }
  wire(host, view, bus, port, refreshIds, () => ids)
  render()
  void refreshIds()
  return { binding: bus.bind('*', '*', update), timer: setInterval(renderRequests, 250) }
}

function open(bus: Bus, port: Port | undefined) {
  // The panel already open is known by the port, never by looking its id up in the page: an element
  // of page content with that id would stand for it (and be un-hidden).
  if (port?.show) return port.show()
  const host = el('div')
  host.id = HOST_ID
  const view = layout(host)
  if (port) port.show = () => ((host.hidden = false), raise(host))
  if ('showPopover' in host) host.popover = 'manual'
  // Through Document.prototype: `<img name="body">` in page content must not take the panel.
  ;(documentMember('body') ?? documentMember('documentElement')!).append(host)
  raise(host)
  const { binding, timer } = follow(host, view, bus, port)
  // Stops following the bus if the host is taken out of the page.
  new MutationObserver(() => {
    if (!host.isConnected) {
      bus.unbind(binding)
      clearInterval(timer)
      if (port) port.show = undefined
    }
  }).observe(documentMember('documentElement')!, { childList: true, subtree: true })
}

try {
  if (lpTag?.events) open(lpTag.events, lpTag._debugPort)
  else console.error('[lpTag] the debug panel needs the tag: load tag.js first (or use the bookmarklet).')
} catch (error) {
  console.error('[lpTag] the debug panel failed to open', error)
}
