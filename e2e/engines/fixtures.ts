import { test as base, expect } from '@playwright/test'
import { createEmulator } from '../server/emulator.mjs'
import { ACCOUNT, APP, quietInPage, siteFixture, tagScript, type Emulator, type Site, type TagPageOptions } from '../support/fixtures.ts'
import { launchChromium } from './chromium.ts'
import type { Engine, EngineName, EnginePage, Key } from './driver.ts'
import { launchFirefox } from './firefox.ts'
import { launchWebKit } from './webkit.ts'

export { expect, ACCOUNT, APP }

const LAUNCH: Record<EngineName, () => Promise<Engine>> = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit }

/** What the probe recorded in the page (e2e/engines/probe.js). */
export interface Probe {
  lines: { type: 'error' | 'warning'; text: string }[]
  errors: string[]
  violations: string[]
}

/** A page of one engine, with what scenarios ask of it; written once, the same on every engine. */
export class Tab {
  constructor(
    readonly page: EnginePage,
    readonly engine: EngineName,
    private readonly site: Site,
    private readonly emulator: Emulator,
  ) {}

  private count = 0

  /** Opens a path of the site (`/install/cms.html`) with its `{{LP_DOMAIN}}` pointed at this test's emulator. */
  async open(path: string) {
    this.site.setApiOrigin(this.emulator.url)
    await this.page.goto(`${this.site.url}${path}`)
  }

  /** Registers a page with the tag (as `openTagPage` in the Chromium suite does) and opens it. */
  async openTagPage(options: TagPageOptions & { headers?: Record<string, string> } = {}) {
    const path = options.path ?? `/engines/${this.engine}/${++this.count}-${Math.random().toString(36).slice(2)}.html`
    const attrs = { account: ACCOUNT, app: APP, domain: this.emulator.url, ...options.attrs }
    this.site.setPage(path, {
      headers: options.headers ?? {},
      body: `<!doctype html><html lang="${options.lang ?? 'en-US'}"${options.dir ? ` dir="${options.dir}"` : ''}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>test</title>
${options.head ?? ''}
${options.noTag ? '' : tagScript(attrs)}
</head><body>${options.body ?? '<main><h1>Test page</h1></main>'}</body></html>`,
    })
    await this.page.goto(`${this.site.url}${path}${options.search ?? ''}`)
  }

  /** The page's barrier (`quietInPage`): what the tag had set going has run its course. */
  quiet() {
    return this.evaluate(quietInPage, this.emulator.url)
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    return this.page.evaluate(fn, arg)
  }

  /** Polls `fn(arg)` in the page until it returns something truthy, and returns that. */
  async waitFor<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A, { timeout = 10_000, message = fn.toString() } = {}): Promise<R> {
    const until = Date.now() + timeout
    for (;;) {
      const value = await this.page.evaluate(fn, arg)
      if (value) return value
      if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${message}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Events the tag published so far, as an integrator reads them. */
  fired(appName = '*', eventName = '*') {
    return this.page.evaluate(
      ([app, event]) => ((window as any).lpTag?.events?.hasFired?.(app, event) ?? []).map((e: any) => ({ appName: e.appName, eventName: e.eventName, data: e.data })),
      [appName, eventName],
    ) as Promise<{ appName: string; eventName: string; data: any }[]>
  }

  /** Waits until `appName`/`eventName` has fired `count` times; returns those events. */
  async waitForEvent(appName: string, eventName: string, count = 1) {
    await this.waitFor(
      ([app, event, n]) => ((window as any).lpTag?.events?.hasFired?.(app, event)?.length ?? 0) >= (n as number),
      [appName, eventName, count] as const,
      { message: `${appName}/${eventName} x${count}` },
    )
    return this.fired(appName, eventName)
  }

  /** The `LP_OFFERS` event names so far, in order. */
  async offerEvents() {
    return (await this.fired('LP_OFFERS')).map((e) => e.eventName)
  }

  /**
   * The box of the element `selector` reaches, in viewport CSS pixels (null when none); ` >> ` steps
   * into the shadow root of what the previous part matched: `[data-lp-engagement] >> [data-lp-action="accept"]`.
   */
  box(selector: string) {
    return this.page.evaluate((path) => {
      let scope: Element | Document = document
      let found: Element | null = null
      for (const part of path.split(' >> ')) {
        found = ((scope as Element).shadowRoot ?? scope).querySelector(part)
        if (!found) return null
        scope = found
      }
      const r = found!.getBoundingClientRect()
      const x = r.left + r.width / 2
      const y = r.top + r.height / 2
      // What a pointer at the centre would hit, looking through shadow roots (clip-path and
      // pointer-events included): the element itself, or something inside it.
      let hit: Element | null = document.elementFromPoint(x, y)
      while (hit?.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(x, y)
        if (!inner || inner === hit) break
        hit = inner
      }
      // A transition or animation still running anywhere in the page or the offer's shadow root.
      const roots: (Document | ShadowRoot)[] = [document, ...[...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))]
      const moving = roots.some((root) => root.getAnimations().some((animation) => animation.playState === 'running'))
      return { x, y, left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height, hit: !!hit && found!.contains(hit), moving }
    }, selector)
  }

  /**
   * The centre of the element `selector` reaches, once a pointer there would hit it and it has
   * stopped moving (offers slide in, the peeling corner opens): no animation running and the same
   * box twice, 60 ms apart, as Playwright's own "stable" and "receives events" checks. A starved
   * renderer can hold a sliding box still for 60 ms: the running animations say it is not done.
   */
  private async centre(selector: string) {
    const until = Date.now() + 10_000
    let last = ''
    for (;;) {
      const box = await this.box(selector)
      const now = JSON.stringify(box)
      if (box?.hit && !box.moving && now === last) return box
      if (Date.now() > until) throw new Error(`timed out waiting for ${selector} to be still and hit at its centre: ${now}`)
      last = now
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
  }

  /** Waits until no transition or animation runs in the page or its shadow roots (an offer sliding in). */
  private async settle(selector: string) {
    const until = Date.now() + 10_000
    while ((await this.box(selector))?.moving !== false) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${selector} to stop moving`)
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
  }

  /**
   * Waits until the offer is at rest: no animation running, and every box it draws the same on two
   * frames in a row (a transition that has not started yet is not running either, and a tap or
   * click may reach the page a frame after the driver has returned).
   */
  async rest() {
    let last = ''
    for (const until = Date.now() + 10_000; ; ) {
      await this.settle('[data-lp-engagement]')
      const now = JSON.stringify(
        await this.evaluate(() => {
          const host = document.querySelector('[data-lp-engagement]')
          return [host, ...(host?.shadowRoot?.querySelectorAll('*') ?? [])].map((e) => {
            const r = e?.getBoundingClientRect()
            return r && [r.left, r.top, r.right, r.bottom].map(Math.round)
          })
        }),
      )
      if (now === last) return
      if (Date.now() > until) throw new Error(`the offer did not come to rest: ${last}`)
      last = now
      await this.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    }
  }

  /** A mouse click on the element's centre. */
  async click(selector: string) {
    const { x, y } = await this.centre(selector)
    await this.page.clickAt(x, y)
  }

  /** A tap (touch) on the element's centre. */
  async tap(selector: string) {
    const { x, y } = await this.centre(selector)
    await this.page.tapAt(x, y)
  }

  press(key: Key) {
    return this.page.press(key)
  }

  /** What has focus, looking through shadow roots: a `data-lp-action`, `tab` (the slide-out's), an id or a tag name. */
  focused() {
    return this.page.evaluate(() => {
      let active = document.activeElement
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
      if (!active) return 'none'
      return active.getAttribute('data-lp-action') ?? (active.hasAttribute('aria-expanded') ? 'tab' : active.id || active.tagName.toLowerCase())
    })
  }

  probe() {
    return this.page.evaluate(() => (window as any).__probe as Probe)
  }

  /** Moves the page's fake clock (a page opened with `clock: true`) on by `ms`. */
  runFor(ms: number) {
    return this.page.evaluate((n) => (window as any).__probe.clock.runFor(n), ms)
  }
}

interface Fixtures {
  /** Campaigns the test's emulator serves instead of `e2e/server/campaigns.json`. */
  campaigns: object | undefined
  /** Whether pages get the probe's paused fake clock. */
  clock: boolean
  /** Whether the page has a touch screen (and a phone viewport). */
  touch: boolean
  emulator: Emulator
  tab: Tab
}

interface WorkerFixtures {
  engineName: EngineName
  engine: Engine
  site: Site
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  engineName: ['chromium', { option: true, scope: 'worker' }],
  engine: [
    async ({ engineName }, use) => {
      const engine = await LAUNCH[engineName]()
      await use(engine)
      await engine.close()
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  site: siteFixture,
  campaigns: [undefined, { option: true }],
  clock: [false, { option: true }],
  touch: [false, { option: true }],
  emulator: async ({ campaigns }, use) => {
    const emulator = await createEmulator(campaigns ? { campaigns } : {})
    await use(emulator as Emulator)
    await emulator.close()
  },
  tab: async ({ engine, engineName, site, emulator, clock, touch }, use) => {
    site.setProbe({ clock })
    const page = await engine.newPage({ touch })
    test.info().annotations.push({ type: 'engine', description: engine.version })
    const tab = new Tab(page, engineName, site, emulator)
    try {
      await use(tab)
      // The page-error guard of every scenario: the tag never throws into the host page.
      const probe = await tab.probe().catch(() => undefined)
      expect(probe?.errors ?? [], 'uncaught errors on the page').toEqual([])
    } finally {
      site.setProbe(false)
      await page.close()
    }
  },
})
