/**
 * readJson is the one reader of JSON request bodies: it checks the content type,
 * bounds the size, parses, and insists on an object. On any problem it answers the
 * request itself (415, 413 or 400, each naming the problem, with `field: "(body)"`)
 * and returns null, so a route only ever sees a well-formed object.
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
 * readJson reads a JSON object body; an empty body is {} (no fields). Null once it
 * has answered 415 (not application/json), 413 (over maxBytes) or 400 (not JSON, or
 * not an object).
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
  return body as JsonBody
}

/** isJsonType tells whether a Content-Type header names application/json (parameters such as charset allowed). */
export function isJsonType(header: string | undefined): boolean {
  return /^\s*application\/json\s*(;|$)/i.test(header ?? '')
}

function refuse(res: ServerResponse, status: number, error: string): null {
  sendJson(res, status, { error, field: BODY_FIELD })
  return null
}
