/**
 * HTTP routes of the dashboard: a small JSON API beside the SPA — the wall's snapshot
 * (signed in, cut to the reader's departments), inspectors' flags (POST
 * /api/v1/flags) and, when mounted, the consoles' API (console/consoleRoutes.ts).
 * Only /healthz (the components of this process, common/health) and the SPA's files
 * answer without a session.
 * Kept apart from the listener so it can be reasoned about as a request → answer map.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { CaseNotFound, FlagError, type FlagRequest, type FlagResult } from '../../alerts/index.ts'
import { answerHealth, HEALTH_PATH } from '../../common/health/index.ts'
import { readJson, sendJson, type SourceAuth } from '../../common/http/index.ts'
import { alertScope, can, type Sessions } from '../../accounts/index.ts'
import { boundSnapshot } from './snapshotBounds.ts'
import { serveStatic } from './staticFiles.ts'
import type { DeptNames, HealthReport, WallScope } from '../../common/contract/index.ts'
import type { DashboardSource } from './source.ts'

/**
 * FlagRoute files inspectors' flags (主动巡检). The platform wires `flag` to the
 * alert store and bus, so the dashboard server needs no database of its own.
 */
export interface FlagRoute {
  /** inspectors' bearer tokens */
  auth: SourceAuth
  /** rejects with FlagError (bad input) or CaseNotFound (unknown case) */
  flag: (req: FlagRequest) => Promise<FlagResult>
}

/** RouteDeps is what the routes read from. */
export interface RouteDeps {
  source: DashboardSource
  staticDir: string
  /** the names GET /api/v1/depts answers, read at each request (the registry changes) */
  deptNames: () => DeptNames
  log: (m: string) => void
  /** absent: POST /api/v1/flags answers 404 */
  flags?: FlagRoute
  /** the consoles' API; resolves false for a path it does not own */
  console?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
  /** who is signed in: the wall and every API route need a session; inspectors may flag with it */
  sessions: Pick<Sessions, 'authenticate'>
  /** the health of the components of this process, for GET /healthz; without it, an empty ok report */
  health?: () => Promise<HealthReport>
}

/** MAX_FLAG_BODY is the largest flag request accepted; a reason is at most 500 characters. */
export const MAX_FLAG_BODY = 64 * 1024

/** handleRequest answers one HTTP request; it never throws. */
export async function handleRequest(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(deps, req, res)
  } catch (err) {
    deps.log(`dashboard: ${req.method} ${req.url} failed: ${(err as Error).message}`)
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
    else res.destroy()
  }
}

async function route(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://wall.invalid').pathname
  if (path === '/api/v1/flags') {
    return deps.flags ? flagRoute(deps, deps.flags, req, res) : sendJson(res, 404, { error: 'flagging is not enabled on this server' })
  }
  if (deps.console && (await deps.console(req, res))) return
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    return sendJson(res, 405, { error: 'method not allowed' })
  }
  switch (path) {
    case HEALTH_PATH:
      return answerHealth(req, res, deps.health ?? (async () => ({ state: 'ok', components: [] })))
    case '/api/v1/wall':
      return asReader(deps, req, res, async (scope) => sendJson(res, 200, boundSnapshot(await deps.source.snapshot(scope), scope)))
    case '/api/v1/depts':
      return asReader(deps, req, res, async () => sendJson(res, 200, deps.deptNames()))
  }
  if (path.startsWith('/api/') || path === '/api') return sendJson(res, 404, { error: `no route ${path}` })
  return serveStatic(deps.staticDir, req, res, path)
}

/**
 * asReader runs fn with the signed-in reader's scope: 401 without a session, 403 for
 * an account that reads no alerts. A department reader's scope is its own department.
 */
async function asReader(deps: RouteDeps, req: IncomingMessage, res: ServerResponse, fn: (scope: WallScope) => Promise<void>): Promise<void> {
  const user = await deps.sessions.authenticate(req)
  if (!user) return sendJson(res, 401, { error: 'not signed in' })
  const scope = alertScope(user)
  if ('none' in scope) return sendJson(res, 403, { error: `a ${user.role} account reads no alerts` })
  return fn(scope)
}

/** flagRoute answers POST /api/v1/flags: 201 flagged, 200 already, 400/401/403/404/413/415 otherwise. */
async function flagRoute(deps: RouteDeps, flags: FlagRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const log = deps.log
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST')
    return sendJson(res, 405, { error: 'use POST to flag a case' })
  }
  const who = await flagger(deps, flags, req, res)
  if (!who) return
  const { inspector } = who
  // A session rides on a cookie: only a JSON body, which a cross-site form cannot send.
  const body = await readJson(req, res, { maxBytes: MAX_FLAG_BODY, requireJsonType: who.bySession, shape: '{kind, caseId, reason, level?}' })
  if (!body) return
  const { kind, caseId, reason, level } = body
  try {
    const r = await flags.flag({ kind, caseId, reason, level, inspector })
    if (r.status === 'flagged') log(`dashboard: ${inspector} flagged ${r.card.key}`)
    return sendJson(res, r.status === 'flagged' ? 201 : 200, { status: r.status, key: r.card.key })
  } catch (e) {
    if (e instanceof FlagError) return sendJson(res, 400, { error: e.message, field: e.field })
    if (e instanceof CaseNotFound) return sendJson(res, 404, { error: e.message })
    throw e
  }
}

/**
 * flagger names who flags: the bearer token's inspector, else a signed-in user holding
 * cases.flag. Null once it has answered 401 (nobody) or 403 (signed in, not allowed).
 */
async function flagger(deps: RouteDeps, flags: FlagRoute, req: IncomingMessage, res: ServerResponse): Promise<{ inspector: string; bySession: boolean } | null> {
  const byToken = req.headers.authorization ? flags.auth.sourceOf(req.headers.authorization) : null
  if (byToken) return { inspector: byToken, bySession: false }
  const user = !req.headers.authorization ? await deps.sessions.authenticate(req) : null
  if (!user) {
    res.setHeader('www-authenticate', 'Bearer')
    sendJson(res, 401, {
      error: 'missing or unknown bearer token: each inspector sends their own token in "Authorization: Bearer …", or signs in',
    })
    return null
  }
  if (!can(user, 'cases.flag')) {
    sendJson(res, 403, { error: `a ${user.role} may not flag cases` })
    return null
  }
  return { inspector: user.username, bySession: true }
}

