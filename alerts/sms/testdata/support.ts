/** Shared by the SMS tests: a clock moved by hand and a logger that keeps its lines. */
import type { Clock } from '../../../common/time/index.ts'
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
