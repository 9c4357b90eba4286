// @ts-check
// The page server for the demo and the e2e tests: serves `public/` and the built bundles, plus
// pages a test registers in memory. It runs on a different port than the emulator, so every page
// talks to the API cross-origin, as on a customer's site.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
})

/**
 * @typedef {{ body: string, type?: string, headers?: Record<string, string> }} Page
 * @param {{ port?: number, host?: string, apiOrigin?: string }} [options]
 */
export async function createPageServer({ port = 0, host = '127.0.0.1', apiOrigin = '' } = {}) {
  /** @type {Map<string, Page>} */
  const pages = new Map()
  // What `{{LP_DOMAIN}}` in served HTML becomes; a test points it at its own emulator.
  let api = apiOrigin
  // The cross-engine scenarios' probe (e2e/engines/probe.js), put first in every HTML page when set.
  let probe = ''
  /** @param {string} html */
  const withProbe = (html) => (probe ? (/<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + probe) : probe + html) : html)
  /** @type {Promise<string> | undefined} */
  let cmp
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (path === '/favicon.ico') {
      res.writeHead(204).end()
      return
    }
    const page = pages.get(path)
    if (page) {
      const type = page.type ?? 'text/html; charset=utf-8'
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...page.headers })
      res.end(type.startsWith('text/html') ? withProbe(page.body) : page.body)
      return
    }
    // The test CMP (e2e/server/cmp.ts: the IAB's CmpApi and TC strings), bundled for the browser once.
    if (path === '/__cmp.js') {
      cmp ??= build({ entryPoints: [join(root, 'e2e', 'server', 'cmp.ts')], bundle: true, format: 'iife', write: false, target: 'es2020', logLevel: 'silent' }).then((result) => result.outputFiles[0]?.text ?? '')
      res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-store' })
      res.end(await cmp)
      return
    }
    if (path === '/__probe.js') {
      res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-store' })
      res.end(await readFile(join(root, 'e2e', 'engines', 'probe.js')))
      return
    }
    // Bundles come from dist/, at the site root or under /cdn/<version>/, like a CDN would serve them.
    const bundle = /^(?:\/cdn\/[\w.-]+)?(\/(?:tag|tag\.full|debug|offer(?:-ui)?\.\w+)\.js(?:\.map)?)$/.exec(path)
    const file = bundle
      ? join(root, 'dist', bundle[1] ?? '')
      : join(root, 'public', normalize(path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(join(root, 'public')) && !file.startsWith(join(root, 'dist'))) {
      res.writeHead(403).end()
      return
    }
    try {
      // `CHUNK_DELAY_MS=150 npx playwright test --project=e2e`: a slow CDN for the offer UI chunk, to
      // find tests that race its load (an offer starts only once it is there).
      if (process.env.CHUNK_DELAY_MS && /offer-ui/.test(path)) await new Promise((resolve) => setTimeout(resolve, Number(process.env.CHUNK_DELAY_MS)))
      let body = await readFile(file)
      const type = TYPES[extname(file)] ?? 'application/octet-stream'
      if (type.startsWith('text/html')) body = Buffer.from(withProbe(body.toString('utf8').replaceAll('{{LP_DOMAIN}}', api)))
      // As a CDN serves them: the tag loads its chunk and debug.js with `integrity`, a CORS request.
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', ...(bundle ? { 'Access-Control-Allow-Origin': '*' } : {}) })
      res.end(body)
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    }
  })
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    /** Pages are addressed as localhost so that page and API (127.0.0.1) are different sites. */
    url: `http://localhost:${address.port}`,
    /** @param {string} path @param {string | Page} page */
    setPage(path, page) {
      pages.set(path, typeof page === 'string' ? { body: page } : page)
    },
    /**
     * Points the `{{LP_DOMAIN}}` replacement at another API origin, e.g. a test's own emulator.
     * @param {string} origin
     */
    setApiOrigin(origin) {
      api = origin
    },
    /**
     * Puts the probe first in every HTML page from now on (`false`: no more); `clock` gives it the
     * paused fake clock.
     * @param {boolean | { clock?: boolean }} options
     */
    setProbe(options) {
      probe = options ? `<script src="/__probe.js"${typeof options === 'object' && options.clock ? ' data-clock' : ''}></script>` : ''
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
  }
}
