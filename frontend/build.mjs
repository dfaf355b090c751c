// Builds the static assets into frontend/build/ (served through Django's staticfiles).
import { mkdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = dirname(fileURLToPath(import.meta.url))
const out = join(root, 'build')
const govuk = join(root, '..', 'node_modules', 'govuk-frontend', 'dist')

mkdirSync(join(out, 'css'), { recursive: true })
mkdirSync(join(out, 'js'), { recursive: true })
mkdirSync(join(out, 'images'), { recursive: true })

const result = sass.compile(join(root, 'scss', 'app.scss'), {
  loadPaths: [govuk],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(out, 'css', 'app.css'), result.css)
copyFileSync(join(govuk, 'govuk', 'govuk-frontend.min.js'), join(out, 'js', 'govuk-frontend.min.js'))
copyFileSync(join(root, 'js', 'body-class.js'), join(out, 'js', 'body-class.js'))
copyFileSync(join(root, 'js', 'init.mjs'), join(out, 'js', 'init.mjs'))
// Charts (the dashboard): Vega, Vega-Lite and vega-embed as their published browser builds (each sets a
// global), and vega-interpreter so expressions are interpreted, never compiled with eval (strict CSP).
// vega-interpreter ships only as an ES module importing three names from vega-util; the vega build
// re-exports all of vega-util, so that one import is pointed at the global instead of a bundler.
// Source-map comments are dropped: the maps are not shipped, and collectstatic's manifest storage
// refuses a file that points at a missing one.
const modules = join(root, '..', 'node_modules')
const withoutSourceMap = (text) => text.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
for (const [pkg, file] of [['vega', 'vega.min.js'], ['vega-lite', 'vega-lite.min.js'], ['vega-embed', 'vega-embed.min.js']]) {
  writeFileSync(join(out, 'js', file), withoutSourceMap(readFileSync(join(modules, pkg, 'build', file), 'utf8')))
}
const interpreter = readFileSync(join(modules, 'vega-interpreter', 'build', 'vega-interpreter.js'), 'utf8')
const vegaUtilImport = /^import \{([^}]*)\} from 'vega-util';$/m
if (!vegaUtilImport.test(interpreter)) throw new Error('vega-interpreter: unexpected imports; update frontend/build.mjs')
writeFileSync(join(out, 'js', 'vega-interpreter.mjs'),
  withoutSourceMap(interpreter.replace(vegaUtilImport, 'const {$1} = globalThis.vega;')))
copyFileSync(join(root, 'js', 'charts.mjs'), join(out, 'js', 'charts.mjs'))
copyFileSync(join(root, 'images', 'favicon.svg'), join(out, 'images', 'favicon.svg'))
console.log('Built frontend/build (css/app.css, js/)')
