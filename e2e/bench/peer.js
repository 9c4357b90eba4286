// The peer, for the benchmark: Plausible's tracker from its npm package, as a site would bundle it,
// sending its pageview to the bench's API origin.
import { init } from '@plausible-analytics/tracker'

const script = document.currentScript
init({ domain: 'bench.example', endpoint: `${script?.getAttribute('data-endpoint')}/api/event`, captureOnLocalhost: true, logging: false })
