/**
 * Test support for the consoles' route modules: a real HTTP server mounting one
 * module (or the whole API), over real accounts signed in on a real database, and a
 * `call` that sends what a browser would (cookie, JSON or a multipart form).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createUser, type NewUser, Sessions } from '../../../accounts/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import type { ConsoleHandler } from '../console/routeKit.ts'

/** ROUTE_PASSWORD is every route test account's password. */
export const ROUTE_PASSWORD = 'the right password'

/** ROUTE_USERS are the accounts a route server signs in: one of each role, two departments. */
export const ROUTE_USERS: ReadonlyArray<Omit<NewUser, 'password'>> = [
  { username: 'wang', role: 'inspector' }, { username: 'li', role: 'leader' }, { username: 'root', role: 'admin' },
  { username: 'health-desk', role: 'department', dept: 'health' }, { username: 'road-desk', role: 'department', dept: 'transport' },
]

/** Answer is what a call got back: the status, the JSON body ({} when not JSON) and the headers. */
export interface Answer {
  status: number
  // Tests read answers whose shape is what they assert.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: Record<string, any>
  headers: Headers
}

/** RouteServer is a running server of the routes under test. */
export interface RouteServer {
  base: string
  sessions: Sessions
  /** the Cookie header of each signed-in user, by username */
  cookies: Record<string, string>
  /** call sends a request as `who` (null: signed out): a FormData as multipart, anything else as JSON */
  call(who: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>
  close(): Promise<void>
}

/** startRouteServer signs ROUTE_USERS in on db and serves the handler that mount builds over their Sessions. */
export async function startRouteServer(db: Db, mount: (sessions: Sessions) => ConsoleHandler): Promise<RouteServer> {
  const sessions = new Sessions(db)
  const handle = mount(sessions)
  const server = createServer((req, res) => void handle(req, res).then((done) => done || sendJson(res, 404, { error: 'no route' })))
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const cookies: Record<string, string> = {}
  for (const u of ROUTE_USERS) {
    await createUser(db, { ...u, password: ROUTE_PASSWORD })
    const r = await sessions.login(u.username, ROUTE_PASSWORD, '127.0.0.1')
    if (!r.ok) throw new Error(`sign-in of ${u.username} failed`)
    cookies[u.username] = `jiancha_session=${r.token}`
  }
  return {
    base,
    sessions,
    cookies,
    async call(who, method, path, body, headers = {}) {
      const form = body instanceof FormData
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { ...(who ? { cookie: cookies[who]! } : {}), ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      })
      const json = r.headers.get('content-type')?.includes('json') ? ((await r.json()) as Answer['json']) : {}
      return { status: r.status, json, headers: r.headers }
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
