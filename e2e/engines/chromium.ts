import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../support/browsers.mjs'
import type { Engine, EnginePage, Key } from './driver.ts'

/** Chromium through Playwright: Debian's Chromium, a fresh context per page. */
export async function launchChromium(): Promise<Engine> {
  const executablePath = findChromium()
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS })
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    async newPage({ touch = false } = {}) {
      const context = await browser.newContext(touch ? { hasTouch: true, isMobile: true, viewport: { width: 375, height: 667 } } : {})
      const page = await context.newPage()
      const adapter: EnginePage = {
        goto: async (url) => void (await page.goto(url)),
        reload: async () => void (await page.reload()),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        clickAt: (x, y) => page.mouse.click(x, y),
        tapAt: (x, y) => page.touchscreen.tap(x, y),
        press: (key: Key) => page.keyboard.press(key === 'Space' ? ' ' : key),
        async setViewport(width, height) {
          await page.setViewportSize({ width, height })
          return { width, height }
        },
        close: () => context.close(),
      }
      return adapter
    },
    close: () => browser.close(),
  }
}
