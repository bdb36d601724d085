/**
 * Test support for the accounts: a real HTTP + Socket.IO server with the sign-in
 * routes and the socket sign-in mounted as the platform will mount them. Other
 * components' tests mount their own routes beside them (`routes`), over the same
 * Sessions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import type { Queryable } from '../../common/db/index.ts'
import { sendJson } from '../../common/http/index.ts'
import { Sessions } from '../sessions.ts'
import { signInRoutes } from '../signInRoutes.ts'
import { requireSignIn } from '../socket.ts'

/** TestRoute answers a request and resolves true, or resolves false for a path it does not own. */
export type TestRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** TestServer is a running server and how to reach it. */
export interface TestServer {
  base: string
  io: Server
  sessions: Sessions
  /** signs in over HTTP and returns the Cookie header to send */
  cookieOf(username: string, password: string): Promise<string>
  close(): Promise<void>
}

/** TestServerOptions: the sessions' clock, and routes to mount after the sign-in routes (given the server's Sessions). */
export interface TestServerOptions {
  now?: () => number
  routes?: (sessions: Sessions) => TestRoute[]
}

/** startTestServer listens on a free port of 127.0.0.1. */
export async function startTestServer(db: Queryable, opts: TestServerOptions = {}): Promise<TestServer> {
  const sessions = new Sessions(db, { now: opts.now, secureCookies: true })
  // Not the default zone, so that tests see the session carry the one given.
  const handlers = [signInRoutes({ sessions, zone: 'Asia/Tokyo' }), ...(opts.routes?.(sessions) ?? [])]
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const h of handlers) if (await h(req, res)) return true
    return false
  }
  const http = createServer((req, res) => {
    handle(req, res).then(
      (handled) => handled || sendJson(res, 404, { error: 'no route' }),
      () => sendJson(res, 500, { error: 'internal error' }),
    )
  })
  const io = new Server(http, { serveClient: false })
  requireSignIn(io, sessions)
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok))
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return {
    base,
    io,
    sessions,
    async cookieOf(username, password) {
      const r = await postJson(base, '/api/v1/login', { username, password })
      if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${r.status}`)
      return (r.headers.get('set-cookie') ?? '').split(';')[0]!
    },
    async close() {
      io.disconnectSockets(true)
      await io.close()
    },
  }
}

/** postJson posts a JSON body, with a cookie when given. */
export function postJson(base: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  })
}

/** getAs GETs a path with a cookie. */
export function getAs(base: string, path: string, cookie?: string): Promise<Response> {
  return fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} })
}
