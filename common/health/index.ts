/**
 * The public face of health: what every component shares to say how it is doing, the
 * watch of its connections, the status heartbeat on the bus and GET /healthz.
 */
export { type AnyProbe, type ComponentProbe, DB_PROBE_TIMEOUT_MS, HealthBoard, type HealthBoardOptions, LIVE_STATUS, STATUS_EVERY_MS } from './board.ts'
export { ConnectionWatch } from './connection.ts'
export { probeDb, within } from './probe.ts'
export { processView } from './process.ts'
export { answerHealth, HEALTH_PATH, type HealthServer, type HealthServerOptions, startHealthServer } from './server.ts'
export { isRecent, judge, worstState } from './state.ts'
