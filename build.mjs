// @ts-check
// Builds the tag with esbuild (TypeScript only type-checks) and prints each bundle's size, raw and
// compressed, because bytes shipped on every page view are the tag's main cost.
import { build } from 'esbuild'
import { minify } from 'terser'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { createHash } from 'node:crypto'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
// `OUT=<dir> node build.mjs`: a build elsewhere (the benchmark's).
const out = process.env.OUT ?? 'dist'

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'iife',
  minify: true,
  sourcemap: 'linked',
  // Evergreen browsers of the last few years; anything older gets no offer, never a broken page.
  target: ['chrome100', 'firefox100', 'safari15', 'edge100'],
  // Internal fields ending in `_` are renamed to single letters; public names stay.
  mangleProps: /_$/,
  legalComments: 'none',
  // No "use strict" prologue (the TS config's `strict` would add one to every file): the code is
  // type-checked strict, and sloppy mode changes nothing it does.
  tsconfigRaw: { compilerOptions: { alwaysStrict: false, verbatimModuleSyntax: true } },
  logLevel: 'warning',
  // V8 compiles every function of the file eagerly, off the main thread where it can, instead of
  // lazily on first call: the tag runs nearly all of its code on load (Chrome 136+; others ignore it).
  banner: { js: '//# allFunctionsCalledOnLoad' },
}

/**
 * A second minify pass over esbuild's output: terser's compressor, run twice, finds what esbuild's
 * one pass leaves (shared expressions, dead branches after inlining), ~4 % of the brotli size. The
 * source map follows through both steps; the compile-hints comment stays first where there is one.
 * @param {string} file
 */
async function polish(file, hint = true) {
  const result = await minify(readFileSync(file, 'utf8'), {
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, preamble: hint ? '//# allFunctionsCalledOnLoad' : undefined },
    sourceMap: { content: readFileSync(`${file}.map`, 'utf8'), url: `${basename(file)}.map` },
  })
  writeFileSync(file, /** @type {string} */ (result.code))
  writeFileSync(`${file}.map`, /** @type {string} */ (result.map))
}

// The chunks first, named by a hash of their content, so a CDN cache never hands an old chunk to
// a new tag; `tag.js` learns their names and integrity hashes at build time.
rmSync(out, { recursive: true, force: true })
/**
 * The `_` names each build shortened, shared with the next: the chunks and the tag pass objects to
 * each other (the offer's context, the UI's places), so a name must come out the same in every file.
 * @type {Record<string, string | false>}
 */
let mangleCache = {}
/** @param {import('esbuild').BuildOptions} options */
async function bundle(options) {
  const result = await build({ ...common, ...options, mangleCache })
  mangleCache = result.mangleCache ?? mangleCache
  return result
}

/** @param {string} name @param {string} entry */
async function chunk(name, entry) {
  const result = await bundle({ entryPoints: { [name]: entry }, outdir: out, entryNames: '[name].[hash]', metafile: true })
  const file = Object.keys(/** @type {import('esbuild').Metafile} */ (result.metafile).outputs).find((output) => output.endsWith('.js'))
  if (!file) throw new Error(`the ${name} chunk was not built`)
  await polish(file)
  return file
}
const offerFile = await chunk('offer', 'src/offer/entry.ts')
const uiFile = await chunk('offer-ui', 'src/offer-ui/entry.ts')

// Every script the tag loads carries the Subresource Integrity hash of its own build: a tag.js
// pinned with `integrity` never runs other bytes under the chunks' or debug.js's names.
const integrity = (/** @type {string} */ file) => `sha256-${createHash('sha256').update(readFileSync(file)).digest('base64')}`
// The panel runs on demand and most of it is event handlers: no eager-compilation hint (24 B).
await bundle({ entryPoints: ['src/debug/panel.ts'], outfile: `${out}/debug.js`, banner: {} })
await polish(`${out}/debug.js`, false)
const define = {
  __VERSION__: JSON.stringify(pkg.version),
  __OFFER_FILE__: JSON.stringify(basename(offerFile)),
  __OFFER_SRI__: JSON.stringify(integrity(offerFile)),
  __UI_FILE__: JSON.stringify(basename(uiFile)),
  __UI_SRI__: JSON.stringify(integrity(uiFile)),
  __DEBUG_SRI__: JSON.stringify(integrity(`${out}/debug.js`)),
}
/** @type {{ entry: string, out: string }[]} */
const bundles = [
  { entry: 'src/tag.ts', out: `${out}/tag.js` },
  { entry: 'src/tag.full.ts', out: `${out}/tag.full.js` },
]
for (const each of bundles) {
  await bundle({ entryPoints: [each.entry], outfile: each.out, define })
  await polish(each.out)
}
bundles.splice(1, 0, { entry: 'src/offer/entry.ts', out: offerFile }, { entry: 'src/offer-ui/entry.ts', out: uiFile })
bundles.push({ entry: 'src/debug/panel.ts', out: `${out}/debug.js` })

// Type declarations for integrators: tsc (type-check only elsewhere) emits src/types.ts with its doc
// comments and the `window.lpTag` global as dist/types.d.ts, renamed to sit next to dist/tag.js.
const tsc = createRequire(import.meta.url).resolve('typescript/package.json').replace(/package\.json$/, 'bin/tsc')
execFileSync(process.execPath, [tsc, 'src/types.ts', '--ignoreConfig', '--declaration', '--emitDeclarationOnly',
  '--strict', '--target', 'ES2022', '--lib', 'ES2022,DOM', '--types', '', '--outDir', out], { stdio: 'inherit' })
renameSync(`${out}/types.d.ts`, `${out}/tag.d.ts`)

const rows = bundles.map((bundle) => {
  const code = readFileSync(bundle.out)
  return {
    bundle: bundle.out,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
})
console.log('bundle                      raw    gzip  brotli')
for (const r of rows) {
  console.log(`${r.bundle.padEnd(26)}${String(r.raw).padStart(6)}${String(r.gzip).padStart(8)}${String(r.brotli).padStart(8)}`)
}
