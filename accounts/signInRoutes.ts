/**
 * The sign-in routes: signing in and out, and who is signed in. The data a user then
 * reads (alerts, cases, threads) is served by the dashboard, which asks accounts who
 * the user is and what they may do.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Me, UserView } from '../common/contract/index.ts'
import { readJson, sendJson } from '../common/http/index.ts'
import { permissions } from './access.ts'
import { allowMethod, withSession } from './gate.ts'
import { deviceToken, LOGIN_FAILED, sessionToken, type Sessions } from './sessions.ts'
import type { User } from './users.ts'

/** SignInRoutesDeps is what the routes need. */
export interface SignInRoutesDeps {
  sessions: Sessions
  /** the platform zone's IANA name, told to the browser with the session (Me.zone) */
  zone: string
  /** the client address rate limits count by (common/http clientAddress, behind trusted proxies); default the socket's peer address */
  clientIp?: (req: IncomingMessage) => string
}

/** SignInHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type SignInHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** MAX_BODY is the largest sign-in body read (a password is at most 1024 characters). */
export const MAX_BODY = 8 * 1024

/** signInRoutes builds the handler of /api/v1/{login,logout,me}; it rejects only on database errors. */
export function signInRoutes(deps: SignInRoutesDeps): SignInHandler {
  return async (req, res) => {
    const seg = segments(new URL(req.url ?? '/', 'http://jiancha.invalid').pathname)
    if (!seg || seg.length !== 3 || seg[0] !== 'api' || seg[1] !== 'v1') return false
    switch (seg[2]) {
      case 'login':
        return post(req, res, () => login(deps, req, res))
      case 'logout':
        return post(req, res, () => logout(deps, req, res))
      case 'me':
        return get(req, res, () => withSession(deps.sessions, req, res, async (u) => sendJson(res, 200, me(deps, u))))
    }
    return false
  }
}

/** login answers POST /api/v1/login {username, password}: 200 + cookie, 401, 429 + Retry-After. */
async function login(deps: SignInRoutesDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, res, { maxBytes: MAX_BODY, shape: '{"username": "…", "password": "…"}' })
  if (!body) return
  const { username, password } = body
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    return sendJson(res, 400, { error: 'the body must be {"username": "…", "password": "…"}' })
  }
  const ip = deps.clientIp ? deps.clientIp(req) : (req.socket.remoteAddress ?? 'unknown')
  const r = await deps.sessions.login(username, password, ip, deviceToken(req.headers.cookie))
  if (!r.ok && r.reason === 'limited') {
    res.setHeader('retry-after', String(r.retryAfterS))
    return sendJson(res, 429, { error: `too many failed sign-ins; try again in ${r.retryAfterS} s`, retryAfterS: r.retryAfterS })
  }
  if (!r.ok) return sendJson(res, 401, { error: LOGIN_FAILED })
  // A previous session in this browser ends: one cookie, one session.
  await deps.sessions.logout(sessionToken(req.headers.cookie))
  res.setHeader('set-cookie', [deps.sessions.cookie(r.token), deps.sessions.deviceCookie(r.device)])
  return sendJson(res, 200, me(deps, r.user))
}

/** logout answers POST /api/v1/logout: ends the session, if any, and clears the cookie. */
async function logout(deps: SignInRoutesDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await deps.sessions.logout(sessionToken(req.headers.cookie))
  res.setHeader('set-cookie', deps.sessions.clearCookie())
  return sendJson(res, 200, { ok: true })
}

/** me is the session as GET /api/v1/me and a sign-in answer it. */
function me(deps: SignInRoutesDeps, user: User): Me {
  return { user: view(user), permissions: permissions(user), zone: deps.zone }
}

function view(u: User): UserView {
  return { username: u.username, role: u.role, dept: u.dept, canUnmask: u.canUnmask }
}

/** segments splits a path into decoded segments; null when one is not valid percent-encoding. */
function segments(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}

async function get(req: IncomingMessage, res: ServerResponse, fn: () => Promise<void>): Promise<true> {
  if (allowMethod(req, res, 'GET')) await fn()
  return true
}

async function post(req: IncomingMessage, res: ServerResponse, fn: () => Promise<void>): Promise<true> {
  if (allowMethod(req, res, 'POST')) await fn()
  return true
}
