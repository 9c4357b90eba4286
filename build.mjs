// @ts-check
// Builds the tag with esbuild (TypeScript only type-checks) and prints each bundle's size, raw and
// compressed, because bytes shipped on every page view are the tag's main cost.
import { build } from 'esbuild'
import { readFileSync, existsSync } from 'node:fs'
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
