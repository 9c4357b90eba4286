// @ts-check
// Finds the three engines the tests run on, installing what is missing when it can: Chromium
// (Playwright drives it), Firefox ESR (WebDriver BiDi, built into Firefox) and WebKitGTK's
// MiniBrowser with WebKitWebDriver under Xvfb (classic WebDriver). Playwright's own browser
// downloads do not work on every machine (no internet but package registries), so Debian's
// packages are the usual answer. CHROMIUM_PATH overrides where Chromium is looked for.
import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'

/** Launch arguments for a sandbox-less container with no network but the project's own servers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver'
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'
export const XVFB_RUN_PATH = '/usr/bin/xvfb-run'

/** @returns {string | undefined} the path of a Chromium binary, without installing anything. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined
  const system = CHROMIUM_PATHS.find((path) => existsSync(path))
  if (system) return system
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core')
    const bundled = chromium.executablePath()
    if (bundled && existsSync(bundled)) return bundled
  } catch {}
  return undefined
}

/** Each engine with what it needs on disk and the Debian packages that provide it. */
const ENGINES = /** @type {const} */ ({
  chromium: { present: () => !!findChromium(), packages: ['chromium'], hint: 'set CHROMIUM_PATH' },
  firefox: { present: () => existsSync(FIREFOX_PATH), packages: ['firefox-esr'], hint: 'set FIREFOX_PATH' },
  webkit: {
    present: () => [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, XVFB_RUN_PATH].every((path) => existsSync(path)),
    packages: ['webkit2gtk-driver', 'xvfb', 'xauth'],
    hint: 'set WEBKIT_DRIVER_PATH and MINIBROWSER_PATH',
  },
})

/** @typedef {keyof typeof ENGINES} EngineName */

/** @param {EngineName[]} engines */
function install(engines) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const packages = engines.flatMap((engine) => ENGINES[engine].packages)
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    if (engines.includes('chromium')) {
      console.log('browsers: installing Playwright chromium')
      try {
        execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: ['ignore', 'inherit', 'inherit'] })
      } catch {}
    }
    return
  }
  console.log(`browsers: installing ${packages.join(' ')} with apt-get`)
  const run = (/** @type {string[]} */ args) =>
    execFileSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  try {
    run(['update', '-qq'])
    run(['install', '-y', '-qq', '--no-install-recommends', ...packages])
  } catch {
    // The lines below say what is still missing; the installer's own output is above them.
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `node e2e/support/browsers.mjs [engine...]`: all three by default.
  const wanted = /** @type {EngineName[]} */ (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(ENGINES))
  const unknown = wanted.filter((engine) => !(engine in ENGINES))
  if (unknown.length) {
    console.error(`browsers: unknown engine ${unknown.join(', ')}; use ${Object.keys(ENGINES).join(', ')}`)
    process.exit(1)
  }
  const missing = wanted.filter((engine) => !ENGINES[engine].present())
  if (missing.length && !(missing.length === 1 && missing[0] === 'chromium' && process.env.CHROMIUM_PATH)) install(missing)
  const still = wanted.filter((engine) => !ENGINES[engine].present())
  for (const engine of still) {
    console.error(
      engine === 'chromium' && process.env.CHROMIUM_PATH
        ? `browsers: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; point it at a Chromium binary.`
        : `browsers: no ${engine}; install Debian's ${ENGINES[engine].packages.join(' ')} (as root: apt-get install ${ENGINES[engine].packages.join(' ')}) or ${ENGINES[engine].hint}.`,
    )
  }
  if (still.length) process.exit(1)
  console.log(`browsers: ${wanted.join(', ')} ready`)
}
