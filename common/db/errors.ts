/** Error messages for the database layer: clear, and never carrying a password. */

/** redactUrl hides the password of a connection string, keeping the rest readable. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    // Not a URL (e.g. a key=value connection string): mask anything password-like.
    return url.replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***').replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')
  }
}

/** reasonOf picks the most useful words of an error: the errno code for system errors, else the message. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown }
  // System errors carry codes like ECONNREFUSED; on Node 20 `localhost` yields an
  // AggregateError whose message is empty but whose code is set.
  if (typeof e?.code === 'string' && /^E[A-Z0-9_]+$/.test(e.code)) return e.code
  if (typeof e?.message === 'string' && e.message) return e.message
  return String(err)
}

/** connectError wraps a failure to reach PostgreSQL, naming the (redacted) URL. */
export function connectError(url: string, err: unknown): Error {
  return new Error(`database: cannot connect to ${redactUrl(url)}: ${reasonOf(err)}`, { cause: err })
}
