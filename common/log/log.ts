/**
 * Logger writes one line per message to stderr: time, level, component, text and
 * key=value fields. Stdout stays free for command output (replay prints JSON there).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold: LogLevel = (process.env.LOG_LEVEL as LogLevel) in ORDER ? (process.env.LOG_LEVEL as LogLevel) : 'info'

/** setLogLevel changes the minimum level printed. */
export function setLogLevel(level: LogLevel): void {
  threshold = level
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(component: string): Logger
}

/** logger returns a Logger for a component. */
export function logger(component: string): Logger {
  const write = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[threshold]) return
    const kv = fields ? Object.entries(fields).map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('') : ''
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${component}: ${msg}${kv}\n`)
  }
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (sub) => logger(`${component}.${sub}`),
  }
}
