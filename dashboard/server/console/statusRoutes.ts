/**
 * The platform status route (admins): GET /api/v1/admin/status, every component's
 * latest status and the dead letters by stream (dashboard/server/platformStatus.ts).
 */
import { can, type Sessions } from '../../../accounts/index.ts'
import type { PlatformStatus } from '../../../common/contract/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import { apiPath, type ConsoleHandler, endpoint, forbidden } from './routeKit.ts'

/** StatusRouteDeps is what the status route needs. */
export interface StatusRouteDeps {
  sessions: Sessions
  status: () => Promise<PlatformStatus>
}

/** statusRoutes builds the handler of GET /api/v1/admin/status: 401 without a session, 403 without platform.status. */
export function statusRoutes(deps: StatusRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg[0] !== 'admin' || p.seg[1] !== 'status' || p.seg.length !== 2) return false
    return endpoint(deps.sessions, req, res, 'GET', async (u) => {
      if (!can(u, 'platform.status')) return forbidden(res, u, 'read the platform status')
      res.setHeader('cache-control', 'no-store')
      return sendJson(res, 200, await deps.status())
    })
  }
}
