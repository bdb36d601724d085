/**
 * docsScreenshot takes the picture of the live wall in docs/wall.png. Start the
 * platform first (e.g. `DASHBOARD_PORT=18580 node bin/jiancha.js start`), let the
 * demo run until cards are live, then:
 *
 *   node --import tsx dashboard/server/docsScreenshot.ts [URL] [FILE]
 *
 * URL defaults to http://127.0.0.1:18580/, FILE to docs/wall.png.
 */
import { fileURLToPath } from 'node:url'
import { screenshot } from './screenshot.ts'

const url = process.argv[2] ?? 'http://127.0.0.1:18580/'
const file = process.argv[3] ?? fileURLToPath(new URL('../../docs/wall.png', import.meta.url))

// Wait for a rendered card row and the chart canvas, then give ECharts time to animate.
await screenshot(url, file, { width: 1920, height: 1080, waitFor: '.feed-list .feed-row, .dept-chart canvas', settleMs: 2500 })
process.stdout.write(`wrote ${file}\n`)
