/**
 * splitSql cuts a SQL script into statements at top-level semicolons. Needed for
 * `-- migrate: no-transaction` files: PostgreSQL runs a multi-statement string as one
 * implicit transaction, which TimescaleDB continuous aggregates refuse, so each
 * statement must be sent on its own. Understands quotes, E'' escapes, "identifiers",
 * $tag$ bodies and both comment styles; returns trimmed statements, none empty.
 */
export function splitSql(sql: string): string[] {
  const out: string[] = []
  let start = 0
  let content = false // whether the current statement has anything besides comments
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (c === '-' && sql[i + 1] === '-') {
      i = endOf(sql, '\n', i + 2)
    } else if (c === '/' && sql[i + 1] === '*') {
      i = endOfBlockComment(sql, i)
    } else if (c === ';') {
      if (content) out.push(sql.slice(start, i).trim())
      start = i + 1
      content = false
      i++
    } else {
      if (!/\s/.test(c)) content = true
      i = skipToken(sql, i)
    }
  }
  if (content) out.push(sql.slice(start).trim())
  return out
}

/** skipToken returns the index after a quoted string, identifier or dollar body at i, else i+1. */
function skipToken(sql: string, i: number): number {
  const c = sql[i]!
  if (c === "'") return endOfQuoted(sql, i, isEscapeString(sql, i))
  if (c === '"') return endOfQuoted(sql, i, false, '"')
  if (c === '$') {
    // $1 parameters cannot match: a tag never starts with a digit.
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0]
    if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) return endOf(sql, tag, i + tag.length)
  }
  return i + 1
}

function isEscapeString(sql: string, quote: number): boolean {
  return /[eE]/.test(sql[quote - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[quote - 2] ?? '')
}

function endOfQuoted(sql: string, i: number, backslashes: boolean, q = "'"): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (backslashes && sql[j] === '\\') j++
    else if (sql[j] === q) {
      if (sql[j + 1] === q) j++ // doubled quote is an escaped quote
      else return j + 1
    }
  }
  return sql.length
}

function endOfBlockComment(sql: string, i: number): number {
  let depth = 0 // PostgreSQL block comments nest
  for (let j = i; j < sql.length; j++) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++
      j++
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--
      j++
      if (depth === 0) return j + 1
    }
  }
  return sql.length
}

function endOf(sql: string, needle: string, from: number): number {
  const at = sql.indexOf(needle, from)
  return at < 0 ? sql.length : at + needle.length
}
