/** Test helper: a Logger that keeps its lines, so a test can hold what was said (and how often). */
import type { Logger } from './log.ts'

/** LogLine is one line a memoryLog kept. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  msg: string
  fields?: Record<string, unknown>
}

/** memoryLog is a Logger that keeps every line, its children's too, in lines. */
export function memoryLog(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields })
  const log = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log }
  return log
}
