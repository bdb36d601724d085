/** Shared by the alerts tests: a clock moved by hand, a logger that keeps its lines, a database that can go away. */
import type { Clock } from '../../../common/time/index.ts'
import type { Db } from '../../../common/db/index.ts'
import type { Logger } from '../../../common/log/index.ts'

/** ManualClock is a clock the test moves. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

/** LogLine is one line a memoryLog kept. */
export interface LogLine {
  level: string
  msg: string
  fields?: Record<string, unknown>
}

/** memoryLog is a Logger that keeps every line in lines. */
export function memoryLog(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields })
  const log = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log }
  return log
}

/**
 * flakyDb is db, unreachable while down() says so: each query and transaction then fails
 * as one on a lost connection does. calls counts every attempt, up or down.
 */
export function flakyDb(db: Db, down: () => boolean, calls: { n: number } = { n: 0 }): Db {
  const lost = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
  return {
    backend: db.backend,
    timescale: db.timescale,
    query: (sql, params) => (calls.n++, down() ? lost() : db.query(sql, params)),
    transaction: (fn) => (calls.n++, down() ? lost() : db.transaction(fn)),
    close: () => db.close(),
  }
}
