/** The dashboard server's public surface. */
export { startDashboardServer, type DashboardServer, type DashboardServerOptions } from './dashboard-server.ts'
export { MAX_SNAPSHOT_ALERTS, type AlertView, type DashboardSource, type DeptNames, type DeptTally, type WallSnapshot } from './wall-contract.ts'
export { screenshot, type ScreenshotOptions } from './screenshot.ts'
