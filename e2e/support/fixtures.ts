import { test as base, expect, type Page } from '@playwright/test'
import { createEmulator } from '../server/emulator.mjs'
import { createPageServer } from '../server/static.mjs'

export { expect }

type RawEmulator = Awaited<ReturnType<typeof createEmulator>>
/** A recorded request whose JSON body tests read field by field. */
export type Recorded = Omit<RawEmulator['requests'][number], 'body'> & { body: any }
export type Emulator = Omit<RawEmulator, 'requests' | 'received'> & {
  requests: Recorded[]
  received(kind: Parameters<RawEmulator['received']>[0]): Recorded[]
}
export type Site = Awaited<ReturnType<typeof createPageServer>>

/** The account and app of `e2e/server/campaigns.json` that every plain test page uses. */
export const ACCOUNT = '12345678'
export const APP = 'a1b2c3'

export interface TagPageOptions {
  /** data-lp-* attributes of the tag's script element (`null` leaves one out); `account`, `app` and `domain` (the emulator) are set by default. */
  attrs?: Record<string, string | true | null>
  /** HTML placed before the tag's script (pre-load objects, page elements). */
  head?: string
  /** HTML of the body. */
  body?: string
  /** Leave out the tag's script element (a test that injects it itself). */
  noTag?: boolean
  /** The page's path on the site. */
  path?: string
  /** Query and hash to open the page with. */
  search?: string
  /** `lang` of `<html>`. */
  lang?: string
  /** `dir` of `<html>` (none by default). */
  dir?: 'rtl' | 'ltr'
}

let pageCount = 0

export function tagScript(attrs: Record<string, string | true | null>): string {
  const list = Object.entries(attrs)
    .filter((entry): entry is [string, string | true] => entry[1] !== null)
    .map(([name, value]) => (value === true ? ` data-lp-${name}` : ` data-lp-${name}="${value.replaceAll('"', '&quot;')}"`))
    .join('')
  return `<script async src="/tag.js"${list}></script>`
}

interface Fixtures {
  /** Campaigns the test's emulator serves instead of `e2e/server/campaigns.json`. */
  campaigns: object | undefined
  emulator: Emulator
  /** Registers a page with the tag on the site and opens it. */
  openTagPage(options?: TagPageOptions): Promise<string>
  /** Console errors and warnings the page printed, in order. */
  consoleLines: { type: string; text: string }[]
  /** Uncaught exceptions on the page; the test fails if there is any. */
  pageErrors: Error[]
}

/** The page server, one per worker: shared by the Playwright tests and the cross-engine scenarios. */
export const siteFixture: [(args: {}, use: (site: Site) => Promise<void>) => Promise<void>, { scope: 'worker' }] = [
  async ({}, use) => {
    const site = await createPageServer()
    await use(site)
    await site.close()
  },
  { scope: 'worker' },
]

export const test = base.extend<Fixtures, { site: Site }>({
  site: siteFixture,
  campaigns: [undefined, { option: true }],
  emulator: async ({ campaigns }, use) => {
    const emulator = await createEmulator(campaigns ? { campaigns } : {})
    await use(emulator as Emulator)
    await emulator.close()
  },
  consoleLines: async ({ page }, use) => {
    const lines: { type: string; text: string }[] = []
    page.on('console', (message) => {
      // "Failed to load resource" is the browser's own line for every 4xx/5xx answer; the tag's
      // lines are the ones under test.
      if (message.text().startsWith('Failed to load resource')) return
      if (message.type() === 'error' || message.type() === 'warning') lines.push({ type: message.type(), text: message.text() })
    })
    await use(lines)
  },
  // Every test: a page error is the tag throwing into the host page, never allowed.
  pageErrors: [
    async ({ page }, use) => {
      const errors: Error[] = []
      page.on('pageerror', (error) => errors.push(error))
      await use(errors)
      expect(errors, 'uncaught exceptions on the page').toEqual([])
    },
    { auto: true },
  ],
  openTagPage: async ({ page, site, emulator }, use) => {
    await use(async (options = {}) => {
      const path = options.path ?? `/t/${++pageCount}/page.html`
      const attrs = { account: ACCOUNT, app: APP, domain: emulator.url, ...options.attrs }
      const html = `<!doctype html><html lang="${options.lang ?? 'en-US'}"${options.dir ? ` dir="${options.dir}"` : ''}><head><meta charset="utf-8"><title>test</title>
${options.head ?? ''}
${options.noTag ? '' : tagScript(attrs)}
</head><body>${options.body ?? '<main><h1>Test page</h1></main>'}</body></html>`
      site.setPage(path, html)
      const url = `${site.url}${path}${options.search ?? ''}`
      await page.goto(url)
      return url
    })
  },
})

/**
 * Opens a page of `public/` (e.g. `/install/cms.html`) with its `{{LP_DOMAIN}}` pointed at this
 * test's emulator. The site is shared by a worker's tests, which run one after another.
 */
export async function openPublicPage(page: Page, site: Site, emulator: Emulator, path: string) {
  site.setApiOrigin(emulator.url)
  const url = `${site.url}${path}`
  await page.goto(url)
  return url
}

/** Events the tag published so far, read the way an integrator would (`hasFired`). */
export function fired(page: Page, appName = '*', eventName = '*') {
  return page.evaluate(
    ([app, event]) => (window as any).lpTag?.events?.hasFired(app, event)?.map((e: any) => ({ ...e })) ?? [],
    [appName, eventName],
  ) as Promise<{ appName: string; eventName: string; data: any }[]>
}

/** Waits until `appName`/`eventName` has fired `count` times, then returns those events. */
export async function waitForEvent(page: Page, appName: string, eventName: string, count = 1) {
  await expect.poll(async () => (await fired(page, appName, eventName)).length, { message: `${appName}/${eventName} x${count}` }).toBeGreaterThanOrEqual(count)
  return fired(page, appName, eventName)
}

/** Waits until the emulator has received `count` engagement requests and returns them. */
export async function waitForRequests(emulator: Emulator, count: number, kind: 'engagement' | 'report' = 'engagement') {
  await expect.poll(() => emulator.received(kind).length, { message: `${count} ${kind} request(s)` }).toBeGreaterThanOrEqual(count)
  return emulator.received(kind)
}

/**
 * Fake, paused time: timers fire only on `page.clock.runFor`, so retry pauses are checked to the
 * millisecond without waiting. Every `fetch` the page makes is recorded with its fake time.
 */
export async function freezeTime(page: Page) {
  await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') })
  await page.clock.pauseAt(new Date('2026-01-01T00:00:01Z'))
  await page.addInitScript(() => {
    const w = window as any
    const calls: { url: string; at: number }[] = (w.__fetches = [])
    w.__inFlight = 0
    const original = window.fetch
    window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
      calls.push({ url: String(input instanceof Request ? input.url : input), at: Date.now() })
      w.__inFlight++
      const settled = () => w.__inFlight--
      const response = original.call(this, input, init)
      response.then(settled, settled)
      return response
    }
  })
}

/**
 * A barrier in the page: what the tag had already set going has run its course. Twice: a task
 * turn (MessageChannel, which a fake clock does not hold), an IndexedDB round trip (answered after
 * the tag's own earlier requests), and a request to the emulator (sent after the tag's). For
 * tests that assert something does *not* happen: no event marks an absence, so this stands where a
 * sleep would, on what the tag does rather than on the time it takes.
 */
export async function quietInPage(emulatorUrl: string) {
  const turn = () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve()
      channel.port2.postMessage(0)
    })
  for (let round = 0; round < 2; round++) {
    await turn()
    try {
      await indexedDB.databases()
    } catch {}
    await fetch(`${emulatorUrl}/__emulator/barrier`, { cache: 'no-store' }).catch(() => {})
  }
}

/** `quietInPage` for a Playwright page. */
export async function quiet(page: Page, emulator: Emulator) {
  await page.evaluate(quietInPage, emulator.url)
}

/**
 * Waits until no `fetch` of the page is in flight (`freezeTime` counts them). Before moving a fake
 * clock far: a real request still on the wire would otherwise meet its own 10 s time-out at once
 * and be retried, which is the clock's doing, not the tag's.
 */
export async function settle(page: Page) {
  await expect.poll(() => page.evaluate(() => (window as any).__inFlight as number), { message: 'requests in flight' }).toBe(0)
}

/** The engagement requests the page started, with the fake time each started at. */
export function engagementFetches(page: Page) {
  return page.evaluate(() => ((window as any).__fetches as { url: string; at: number }[]).filter((f) => f.url.includes('/engagement?')))
}
