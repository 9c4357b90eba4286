import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { FIREFOX_PATH } from '../support/browsers.mjs'
import { evaluated, evaluateSource, keyActions, pointerActions, type Engine, type EnginePage } from './driver.ts'

// Firefox speaks WebDriver BiDi itself (its remote agent): no geckodriver, no client library. The
// protocol is JSON commands and events over one WebSocket (https://w3c.github.io/webdriver-bidi/).

/** Quiet start-up on a machine without internet: no first-run pages, no updates, no telemetry. */
const PREFS = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'browser.region.network.url': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
}

interface Reply {
  id?: number
  type: 'success' | 'error' | 'event'
  result?: any
  error?: string
  message?: string
}

/** Starts Firefox ESR headless with a throw-away profile and opens a BiDi session to it. */
export async function launchFirefox(): Promise<Engine> {
  const profile = mkdtempSync(join(tmpdir(), 'lp-firefox-'))
  writeFileSync(join(profile, 'user.js'), Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'))
  const child = spawn(FIREFOX_PATH, ['--headless', '--no-remote', '--remote-debugging-port=0', '--profile', profile], { stdio: ['ignore', 'ignore', 'pipe'] })
  const endpoint = await new Promise<string>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`Firefox did not start BiDi in 30 s:\n${seen.slice(-2000)}`)), 30_000)
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk
      const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}):\n${seen.slice(-2000)}`)))
  })

  const socket = new WebSocket(`${endpoint}/session`)
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))
  let lastId = 0
  const pending = new Map<number, (reply: Reply) => void>()
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as Reply
    if (reply.id === undefined) return
    pending.get(reply.id)?.(reply)
    pending.delete(reply.id)
  })
  // At teardown the browser may go while a command is on its way: it fails, it never hangs.
  socket.on('close', () => {
    for (const answer of pending.values()) answer({ type: 'error', error: 'closed', message: 'the browser closed the session' })
    pending.clear()
  })
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = ++lastId
      if (socket.readyState !== WebSocket.OPEN) return reject(new Error(`${method}: the browser closed the session`))
      pending.set(id, (reply) => (reply.type === 'error' ? reject(new Error(`${method}: ${reply.error}: ${reply.message}`)) : resolve(reply.result)))
      socket.send(JSON.stringify({ id, method, params }))
    })

  const session = await send('session.new', { capabilities: {} })
  return {
    name: 'firefox',
    version: `Firefox ${session.capabilities.browserVersion}`,
    async newPage({ touch = false } = {}) {
      // A user context is a profile of its own inside the browser: storage shared with no other page.
      const { userContext } = await send('browser.createUserContext')
      const { context } = await send('browsingContext.create', { type: 'tab', userContext })
      const viewport = async (width: number, height: number) => {
        await send('browsingContext.setViewport', { context, viewport: { width, height } })
        return { width, height }
      }
      await viewport(touch ? 375 : 1280, touch ? 667 : 720)
      const perform = (actions: object[]) => send('input.performActions', { context, actions })
      const page: EnginePage = {
        goto: async (url) => void (await send('browsingContext.navigate', { context, url, wait: 'complete' })),
        reload: async () => void (await send('browsingContext.reload', { context, wait: 'complete' })),
        async evaluate(fn, arg) {
          const answer = await send('script.evaluate', { expression: evaluateSource(fn, arg), target: { context }, awaitPromise: true })
          if (answer.type === 'exception') throw new Error(`in the page: ${answer.exceptionDetails?.text}`)
          return evaluated(answer.result?.value)
        },
        clickAt: async (x, y) => void (await perform([pointerActions(x, y, false)])),
        tapAt: async (x, y) => void (await perform([pointerActions(x, y, true)])),
        press: async (key) => void (await perform([{ type: 'key', id: 'keyboard', actions: keyActions(key) }])),
        setViewport: viewport,
        async close() {
          await send('browsingContext.close', { context }).catch(() => {})
          await send('browser.removeUserContext', { userContext }).catch(() => {})
        },
      }
      return page
    },
    async close() {
      await send('session.end').catch(() => {})
      socket.close()
      child.kill('SIGKILL')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
