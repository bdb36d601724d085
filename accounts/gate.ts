/**
 * The gate every signed-in route passes: the method, then the session. One place, so
 * that the 405/401 answers and the sliding cookie are the same on every route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../common/http/index.ts'
import { sessionToken, type Sessions } from './sessions.ts'
import type { User } from './users.ts'

/** HttpMethod is a method a route answers. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * allowMethod answers 405 (with Allow: `allow`, by default the method itself) and
 * returns false unless the request uses `method`; GET also admits HEAD.
 */
export function allowMethod(req: IncomingMessage, res: ServerResponse, method: HttpMethod, allow?: string): boolean {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return true
  res.setHeader('allow', allow ?? (method === 'GET' ? 'GET, HEAD' : method))
  sendJson(res, 405, { error: 'method not allowed' })
  return false
}

/**
 * withSession runs fn for the request's signed-in user and sends the cookie again, so
 * the session slides with use; without a live session it answers 401 and clears a
 * dead cookie.
 */
export async function withSession(
  sessions: Pick<Sessions, 'userOf' | 'cookie' | 'clearCookie'>,
  req: IncomingMessage,
  res: ServerResponse,
  fn: (u: User) => Promise<void>,
): Promise<void> {
  const token = sessionToken(req.headers.cookie)
  const user = await sessions.userOf(token)
  if (!user) {
    if (token) res.setHeader('set-cookie', sessions.clearCookie())
    return sendJson(res, 401, { error: 'not signed in' })
  }
  res.setHeader('set-cookie', sessions.cookie(token!))
  return fn(user)
}
