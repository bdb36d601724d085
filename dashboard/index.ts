/** The dashboard (wall, consoles' API, Socket.IO, the web app): other components import from here, and only from here. */
export { findChromium, launchChromium } from './server/chromium.ts'
export { auditWriter, type ConsoleAudit } from './server/console/consoleAudit.ts'
export { startDashboardServer } from './server/dashboardServer.ts'
export { wallFeed } from './server/wallFeed.ts'
