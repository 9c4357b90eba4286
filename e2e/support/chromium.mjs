// @ts-check
// Finds a Chromium for Playwright, installing one when it can. Playwright's own browser download
// does not work on every machine (no internet but package registries), so Debian's chromium
// package is the usual answer; CHROMIUM_PATH overrides everything.
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

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** @returns {string | undefined} the path of a Chromium binary, without installing anything. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined
  const system = SYSTEM_PATHS.find((path) => existsSync(path))
  if (system) return system
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core')
    const bundled = chromium.executablePath()
    if (bundled && existsSync(bundled)) return bundled
  } catch {}
  return undefined
}

function install() {
  const run = (/** @type {string} */ cmd, /** @type {string[]} */ args) =>
    execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  try {
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      console.log('chromium: installing Debian chromium with apt-get')
      run('apt-get', ['update', '-qq'])
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'])
    } else {
      console.log('chromium: installing Playwright chromium')
      run('npx', ['playwright', 'install', 'chromium'])
    }
  } catch {
    // The one line below says what to do; the installer's own output is above it.
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let path = findChromium()
  if (!path && !process.env.CHROMIUM_PATH) {
    install()
    path = findChromium()
  }
  if (!path) {
    console.error(
      process.env.CHROMIUM_PATH
        ? `chromium: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist; point it at a Chromium binary.`
        : 'chromium: none found; install one (as root: apt-get install chromium) or set CHROMIUM_PATH.',
    )
    process.exit(1)
  }
  console.log(`chromium: ${path}`)
}
