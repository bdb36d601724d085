/** The dashboard (wall, consoles' API, Socket.IO, the web app): other components import from here, and only from here. */
export { type AlertFilter, listAlerts, parseCursor } from './server/alertList.ts'
export { findChromium, launchChromium } from './server/chromium.ts'
export { auditWriter, type ConsoleAudit } from './server/consoleRoutes.ts'
export { startDashboardServer } from './server/dashboardServer.ts'
export { wallFeed } from './server/wallFeed.ts'
