/**
 * What every route of the consoles' API shares: the path under /api/v1, the gate
 * (method, then session), the 403 answer, a person as a thread's actor, and the
 * optional comment most actions take.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Actor } from '../../../alerts/index.ts'
import { type Action, allowMethod, type HttpMethod, type Sessions, type User, withSession } from '../../../accounts/index.ts'
import { sendJson } from '../../../common/http/index.ts'

/** ConsoleHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** ApiPath is a request's URL and its decoded path segments after /api/v1. */
export interface ApiPath {
  url: URL
  seg: string[]
}

/** MAX_JSON is the largest JSON body the consoles' routes read. */
export const MAX_JSON = 64 * 1024

/** apiPath reads the segments of a path under /api/v1; null outside it, or when a segment is not valid percent-encoding. */
export function apiPath(req: Pick<IncomingMessage, 'url'>): ApiPath | null {
  const url = new URL(req.url ?? '/', 'http://jiancha.invalid')
  let seg: string[]
  try {
    seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
  if (seg[0] !== 'api' || seg[1] !== 'v1') return null
  return { url, seg: seg.slice(2) }
}

/** endpoint checks the method, then runs fn for the session's user (accounts' gate); it always owns the request. */
export async function endpoint(
  sessions: Sessions, req: IncomingMessage, res: ServerResponse, method: HttpMethod, fn: (u: User) => Promise<void>,
): Promise<true> {
  if (allowMethod(req, res, method)) await withSession(sessions, req, res, fn)
  return true
}

/** forbidden answers 403 naming the role and what it may not do. */
export function forbidden(res: ServerResponse, u: User, what: Action | string): void {
  return sendJson(res, 403, { error: `a ${u.role} may not ${what}` })
}

/** actorOf is a signed-in user as the actor of a thread's transition. */
export function actorOf(u: User): Actor {
  return { role: u.role, name: u.username, ...(u.dept ? { dept: u.dept } : {}) }
}

/** optionalText reads an optional string field of at most max characters, trimmed (blank is absent), or the 400 answer naming it. */
export function optionalText(v: unknown, field: string, max: number): string | undefined | { error: string; field: string } {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || [...v].length > max) return { error: `${field} must be a string of at most ${max} characters`, field }
  return v.trim() || undefined
}
