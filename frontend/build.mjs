// Builds the static assets into frontend/build/ (served through Django's staticfiles).
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs'
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
copyFileSync(join(root, 'images', 'favicon.svg'), join(out, 'images', 'favicon.svg'))
console.log('Built frontend/build (css/app.css, js/)')
