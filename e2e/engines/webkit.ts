import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { MINIBROWSER_PATH, WEBKIT_DRIVER_PATH, XVFB_RUN_PATH } from '../support/browsers.mjs'
import { evaluated, evaluateSource, keyActions, pointerActions, type Engine, type EnginePage } from './driver.ts'

// WebKitGTK's WebKitWebDriver speaks classic WebDriver (HTTP + JSON, https://w3c.github.io/webdriver/)
// and drives its MiniBrowser, Safari's engine. It needs an X display: it runs under `xvfb-run`. Its
// default host is not loopback, so it is bound to 127.0.0.1 explicitly.

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.once('error', reject)
  })

/** Starts WebKitWebDriver under Xvfb; each page is a session of its own (a new MiniBrowser, fresh storage). */
export async function launchWebKit(): Promise<Engine> {
  const port = await freePort()
  const child = spawn(XVFB_RUN_PATH, ['-a', '-s', '-screen 0 1280x1024x24', WEBKIT_DRIVER_PATH, `--port=${port}`, '--host=127.0.0.1'], {
    stdio: 'ignore',
    // Its own process group: closing kills Xvfb, the driver and every MiniBrowser at once.
    detached: true,
  })
  const base = `http://127.0.0.1:${port}`
  // Every command has a deadline, so a hung one names itself instead of running out the test's time.
  const call = async (method: string, path: string, body?: object, timeoutMs = 20_000) => {
    const signal = AbortSignal.timeout(timeoutMs)
    const response = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, signal, ...(body ? { body: JSON.stringify(body) } : {}) }).catch((error: Error) => {
      throw new Error(`${method} ${path}: ${signal.aborted ? `no answer within ${timeoutMs} ms` : error.message}`)
    })
    const { value } = (await response.json()) as { value: any }
    if (!response.ok) throw new Error(`${method} ${path}: ${value?.error}: ${value?.message}`)
    return value
  }
  for (let tries = 0; ; tries++) {
    try {
      if ((await call('GET', '/status')).ready) break
    } catch (error) {
      if (tries > 100) throw new Error(`WebKitWebDriver did not start: ${error}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  let version = 'WebKitGTK'

  return {
    name: 'webkit',
    get version() {
      return version
    },
    async newPage({ touch = false } = {}) {
      const capabilities = { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] } } }
      // A MiniBrowser starts in well under a second; on a loaded machine one in a few hundred once
      // never answered (a test then timed out "setting up tab"). That is the browser's start, not the
      // tag under test: a second start is tried, and a second hang fails the test.
      const session = await call('POST', '/session', { capabilities }, 8_000).catch((error: Error) => {
        console.warn(`webkit: ${error.message}; starting another MiniBrowser`)
        return call('POST', '/session', { capabilities }, 15_000)
      })
      version = `WebKitGTK ${session.capabilities.browserVersion}`
      const at = `/session/${session.sessionId}`
      const perform = async (actions: object[]) => {
        await call('POST', `${at}/actions`, { actions })
        await call('DELETE', `${at}/actions`)
      }
      const page: EnginePage = {
        goto: async (url) => void (await call('POST', `${at}/url`, { url })),
        reload: async () => void (await call('POST', `${at}/refresh`, {})),
        // "Execute script" awaits a promise the script returns (WebDriver spec, 13.2).
        evaluate: async (fn, arg) => evaluated(await call('POST', `${at}/execute/sync`, { script: `return ${evaluateSource(fn, arg)}`, args: [] })),
        clickAt: (x, y) => perform([pointerActions(x, y, false)]),
        tapAt: (x, y) => perform([pointerActions(x, y, true)]),
        press: (key) => perform([{ type: 'key', id: 'keyboard', actions: keyActions(key) }]),
        async setViewport(width, height) {
          // The window has a frame around the viewport: size the window so the viewport comes out as asked.
          const inner = () => page.evaluate(() => ({ width: innerWidth, height: innerHeight }))
          const outer = await call('GET', `${at}/window/rect`)
          const now = await inner()
          await call('POST', `${at}/window/rect`, { width: width + outer.width - now.width, height: height + outer.height - now.height })
          return inner()
        },
        close: async () => void (await call('DELETE', at).catch(() => {})),
      }
      await page.setViewport(touch ? 375 : 1280, touch ? 667 : 720)
      return page
    },
    async close() {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    },
  }
}
