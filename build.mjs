// @ts-check
// Builds the tag with esbuild (TypeScript only type-checks) and prints each bundle's size, raw and
// compressed, because bytes shipped on every page view are the tag's main cost.
import { build } from 'esbuild'
import { readFileSync, existsSync, renameSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))

/** @type {{ entry: string, out: string }[]} */
const bundles = [{ entry: 'src/tag.ts', out: 'dist/tag.js' }]
if (existsSync('src/debug/panel.ts')) bundles.push({ entry: 'src/debug/panel.ts', out: 'dist/debug.js' })

await Promise.all(
  bundles.map(({ entry, out }) =>
    build({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      format: 'iife',
      minify: true,
      sourcemap: 'linked',
      // Evergreen browsers of the last few years; anything older gets no offer, never a broken page.
      target: ['chrome100', 'firefox100', 'safari15', 'edge100'],
      define: { __VERSION__: JSON.stringify(pkg.version) },
      // Internal fields ending in `_` are renamed to single letters; public names stay.
      mangleProps: /_$/,
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
)

// Type declarations for integrators: tsc (type-check only elsewhere) emits src/types.ts with its doc
// comments and the `window.lpTag` global as dist/types.d.ts, renamed to sit next to dist/tag.js.
const tsc = createRequire(import.meta.url).resolve('typescript/package.json').replace(/package\.json$/, 'bin/tsc')
execFileSync(process.execPath, [tsc, 'src/types.ts', '--ignoreConfig', '--declaration', '--emitDeclarationOnly',
  '--strict', '--target', 'ES2022', '--lib', 'ES2022,DOM', '--types', '', '--outDir', 'dist'], { stdio: 'inherit' })
renameSync('dist/types.d.ts', 'dist/tag.d.ts')

const rows = bundles.map(({ out }) => {
  const code = readFileSync(out)
  return {
    bundle: out,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
})
console.log('bundle          raw    gzip  brotli')
for (const r of rows) {
  console.log(`${r.bundle.padEnd(14)}${String(r.raw).padStart(6)}${String(r.gzip).padStart(8)}${String(r.brotli).padStart(8)}`)
}
