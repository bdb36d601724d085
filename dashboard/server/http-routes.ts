/**
 * HTTP routes of the dashboard: a small read-only JSON API beside the SPA. Kept
 * apart from the listener so it can be reasoned about as a plain request → answer map.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './json-response.ts'
import { boundSnapshot } from './snapshot-bounds.ts'
import { serveStatic } from './static-files.ts'
import type { DashboardSource, DeptNames } from './wall-contract.ts'

/** RouteDeps is what the routes read from. */
export interface RouteDeps {
  source: DashboardSource
  staticDir: string
  deptNames: DeptNames
  log: (m: string) => void
}

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
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    return sendJson(res, 405, { error: 'method not allowed' })
  }
  switch (path) {
    case '/healthz':
      return sendJson(res, 200, { ok: true })
    case '/api/v1/wall':
      return sendJson(res, 200, boundSnapshot(await deps.source.snapshot()))
    case '/api/v1/depts':
      return sendJson(res, 200, deps.deptNames)
  }
  if (path.startsWith('/api/') || path === '/api') return sendJson(res, 404, { error: `no route ${path}` })
  return serveStatic(deps.staticDir, req, res, path)
}
