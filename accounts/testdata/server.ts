/**
 * Test support for the accounts: a real HTTP + Socket.IO server with the account
 * routes and the socket sign-in mounted as the platform will mount them, and small
 * helpers to seed alerts and case events straight into the database.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import type { CaseEvent, Kind, Level } from '../../common/contract/index.ts'
import type { Queryable } from '../../common/db/index.ts'
import { storeEvent } from '../../rules/index.ts'
import { sendJson } from '../../common/http/index.ts'
import { accountRoutes, type UnmaskAudit } from '../routes.ts'
import { Sessions } from '../sessions.ts'
import { requireSignIn } from '../socket.ts'

/** TestServer is a running server and how to reach it. */
export interface TestServer {
  base: string
  io: Server
  sessions: Sessions
  audits: UnmaskAudit[]
  /** the next audit call rejects with this error (then audits work again) */
  failNextAudit(err: Error): void
  /** signs in over HTTP and returns the Cookie header to send */
  cookieOf(username: string, password: string): Promise<string>
  close(): Promise<void>
}

/** startTestServer listens on a free port of 127.0.0.1. */
export async function startTestServer(db: Queryable, opts: { now?: () => number } = {}): Promise<TestServer> {
  const sessions = new Sessions(db, { now: opts.now, secureCookies: true })
  const audits: UnmaskAudit[] = []
  let auditError: Error | null = null
  const handle = accountRoutes({
    db,
    sessions,
    format: (t) => new Date(t).toISOString(),
    // Not the default zone, so that tests see the session carry the one given.
    zone: 'Asia/Tokyo',
    audit: async (e) => {
      const err = auditError
      auditError = null
      if (err) throw err
      audits.push(e)
    },
  })
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
    audits,
    failNextAudit: (err) => void (auditError = err),
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

/** insertAlert stores a card row directly, as the alert service would. */
export async function insertAlert(db: Queryable, a: { key: string; dept: string; at: string; level?: Level; rule?: string; caseId?: string; status?: string }): Promise<void> {
  await db.query('INSERT INTO alerts (key, rule, level, kind, case_id, dept, at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    a.key, a.rule ?? 'petition.overdue', a.level ?? 'red', 'petition', a.caseId ?? a.key, a.dept, new Date(a.at), a.status ?? 'open',
  ])
}

let seq = 0

/** insertEvent stores one case event as the rules worker would. */
export async function insertEvent(
  db: Queryable,
  ev: { id: string; kind: Kind; type: string; caseId: string; dept: string; at: string; attrs?: Record<string, unknown> },
): Promise<void> {
  const body: CaseEvent = { source: 'test', ...ev }
  await storeEvent(db, { ev: body, t: Date.parse(ev.at), seq: ++seq })
}
