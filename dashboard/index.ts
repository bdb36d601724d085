/** The dashboard (wall, consoles' API, Socket.IO, the web app): other components import from here, and only from here. */
export { findChromium, launchChromium } from './server/chromium.ts'
export { auditWriter, type ConsoleAudit } from './server/console/consoleAudit.ts'
export { startDashboardServer } from './server/dashboardServer.ts'
export { dashboardProbe } from './server/health.ts'
export { type PlatformStatusFeed, platformStatusFeed } from './server/platformStatus.ts'
export { wallFeed } from './server/wallFeed.ts'
export { collectorSubmitter } from './server/public/collectorClient.ts'
export { PUBLIC_SOURCE } from './server/public/complaint.ts'
