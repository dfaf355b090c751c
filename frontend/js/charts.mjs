// Draws the dashboard's trend charts. Each chart's Vega-Lite spec sits in the page as a JSON data
// block (<script type="application/json">: never executed, so the CSP allows it) named by the
// container's data-chart-spec. Expressions are run by vega-interpreter (ast: true), so Vega needs
// no eval and the CSP needs no 'unsafe-eval'. Without JavaScript the figures are in the tables.
import { expressionInterpreter } from './vega-interpreter.mjs'

const options = {
  ast: true,
  expr: expressionInterpreter,
  renderer: 'svg',
  actions: false, // downloads are links on the page, drawn on the server
  tooltip: false, // vega-tooltip would add an inline style element
  defaultStyle: false // so would vega-embed's own styles
}

for (const container of document.querySelectorAll('[data-chart-spec]')) {
  const data = document.getElementById(container.dataset.chartSpec)
  if (!data) continue
  globalThis.vegaEmbed(container, JSON.parse(data.textContent), options)
    .then((result) => {
      // The container (role="img") is labelled by the chart's summary and a table of the same figures
      // follows it; the drawing itself is hidden from assistive technology.
      result.view.container()?.querySelector('svg')?.setAttribute('aria-hidden', 'true')
      container.classList.add('app-chart--drawn')
    })
    .catch((error) => console.warn('Chart not drawn:', error))
}
