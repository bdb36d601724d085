/** The process a component runs in, as its status names it. */
import { hostname } from 'node:os'
import type { ProcessView } from '../contract/index.ts'

// Read once: derived from uptime on every call, it would wobble by a millisecond.
const STARTED = new Date(Date.now() - Math.round(process.uptime() * 1000)).toISOString()

/** processView names this process: its host, its pid and when it started. */
export function processView(): ProcessView {
  return { host: hostname(), pid: process.pid, started: STARTED }
}
