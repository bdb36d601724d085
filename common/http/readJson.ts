/**
 * readJson is the one reader of JSON request bodies: it checks the content type,
 * bounds the size, parses, and insists on an object nested at most MAX_JSON_DEPTH
 * levels whose strings the database can store (no NUL, no unpaired surrogate). On any
 * problem it answers the request itself (415, 413 or 400, each naming the problem,
 * with `field: "(body)"`, or the path of the bad string) and returns null, so a route
 * only ever sees a well-formed object.
 * Requiring application/json also keeps cookie-borne routes safe from cross-site
 * forms: a browser cannot send that type to another origin without a preflight.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from './body.ts'
import { sendJson } from './json.ts'

/** JsonBody is a parsed JSON object body; its fields are not yet checked. */
export type JsonBody = Record<string, unknown>

/** ReadJsonOptions bound and describe the body a route accepts. */
export interface ReadJsonOptions {
  /** the largest body read, in bytes; a larger one answers 413 */
  maxBytes: number
  /**
   * false: any content type is read as JSON (bearer-token clients, which no browser
   * form can impersonate); true by default
   */
  requireJsonType?: boolean
  /** what the object holds, for the 400 message, e.g. `{kind, caseId, reason, level?}` */
  shape?: string
}

/** BODY_FIELD is the `field` that the answers name: the body as a whole. */
export const BODY_FIELD = '(body)'

/**
 * MAX_JSON_DEPTH bounds how deeply a body may nest. JSON.parse copes with any depth,
 * but the recursive steps after it (JSON.stringify, canonical JSON, validators) do
 * not: 30 000 levels overflow their stack.
 */
export const MAX_JSON_DEPTH = 32

/**
 * readJson reads a JSON object body; an empty body is {} (no fields). Null once it
 * has answered 415 (not application/json), 413 (over maxBytes) or 400 (not JSON, not
 * an object, nested too deeply, or a string no database column can hold).
 */
export async function readJson(req: IncomingMessage, res: ServerResponse, opts: ReadJsonOptions): Promise<JsonBody | null> {
  if (opts.requireJsonType !== false && !isJsonType(req.headers['content-type'])) {
    const got = req.headers['content-type'] ? `, not ${req.headers['content-type'].slice(0, 100)}` : ''
    return refuse(res, 415, `send the body as content-type: application/json${got}`)
  }
  // readBody drains an oversize body to its end, so the 413 reaches the client.
  const text = await readBody(req, opts.maxBytes)
  if (text === null) return refuse(res, 413, `the body is larger than ${opts.maxBytes} bytes`)
  if (!text.trim()) return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (e) {
    return refuse(res, 400, `the body is not JSON: ${(e as Error).message}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`
    return refuse(res, 400, `the body must be a JSON object${opts.shape ? ` ${opts.shape}` : ''}, not ${got}`)
  }
  const bad = jsonProblem(body)
  if (bad) return refuse(res, 400, bad.error, bad.field)
  return body as JsonBody
}

/** JsonProblem is what is wrong with a parsed body, and where: BODY_FIELD or the path of a string, e.g. `items[2].note`. */
export interface JsonProblem {
  field: string
  error: string
}

/**
 * jsonProblem finds the first thing in a parsed JSON value that the platform cannot
 * take: nesting deeper than maxDepth (the top level is 1), or a string or key holding
 * U+0000 (PostgreSQL's text and jsonb refuse it) or an unpaired surrogate (it is not
 * Unicode: UTF-8 cannot carry it, jsonb refuses its escape). It walks with its own
 * stack, so that a deep value cannot overflow the call stack. Null when all is well.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }]
  while (stack.length) {
    const { v, depth, path } = stack.pop()!
    if (typeof v === 'string') {
      const e = textProblem(v)
      if (e) return { field: path || BODY_FIELD, error: `${path || 'the body'} ${e}` }
      continue
    }
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > maxDepth) return { field: BODY_FIELD, error: `the body is nested deeper than ${maxDepth} levels` }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: `${path}[${i}]` })
      continue
    }
    const entries = Object.entries(v as Record<string, unknown>)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!
      const at = path ? `${path}.${k}` : k
      const e = textProblem(k)
      if (e) return { field: at, error: `the name of ${JSON.stringify(at)} ${e}` }
      stack.push({ v: x, depth: depth + 1, path: at })
    }
  }
  return null
}

/** textProblem says why a string cannot be stored, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)'
  if (!s.isWellFormed()) {
    const m = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s)
    const unit = m ? m[0].charCodeAt(0).toString(16).toUpperCase() : '?'
    return `contains an unpaired surrogate (U+${unit}): it is not Unicode text`
  }
  return null
}

/** isJsonType tells whether a Content-Type header names application/json (parameters such as charset allowed). */
export function isJsonType(header: string | undefined): boolean {
  return /^\s*application\/json\s*(;|$)/i.test(header ?? '')
}

function refuse(res: ServerResponse, status: number, error: string, field = BODY_FIELD): null {
  sendJson(res, status, { error, field })
  return null
}
