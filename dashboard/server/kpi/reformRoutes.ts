/**
 * The decision support route (辅助决策): GET /api/v1/kpi/reform?from=YYYY-MM-DD&until=YYYY-MM-DD,
 * both dates included, in the platform's zone. For whoever may read the rankings
 * (leaders, inspectors, administrators): 401 without a session, 403 for a department,
 * 400 naming the parameter for a bad period.
 */
import { can, type Sessions } from '../../../accounts/index.ts'
import { sendJson } from '../../../common/http/index.ts'
import { apiPath, type ConsoleHandler, endpoint, forbidden } from '../console/routeKit.ts'
import { decisionSupport, type ReformDeps } from './reform.ts'
import { parseReformPeriod } from './reformPeriod.ts'

/** ReformRouteDeps is what the route needs: the sessions, and what decisionSupport reads with. */
export interface ReformRouteDeps extends ReformDeps {
  sessions: Sessions
}

/** reformRoutes builds the handler of GET /api/v1/kpi/reform; it leaves every other path alone. */
export function reformRoutes(deps: ReformRouteDeps): ConsoleHandler {
  return async (req, res) => {
    const p = apiPath(req)
    if (!p || p.seg.length !== 2 || p.seg[0] !== 'kpi' || p.seg[1] !== 'reform') return false
    return endpoint(deps.sessions, req, res, 'GET', async (u) => {
      // The figures span every department: a department's own cards are in its console.
      if (!can(u, 'rankings.read')) return forbidden(res, u, 'read decision support')
      const period = parseReformPeriod(p.url.searchParams)
      if ('error' in period) return sendJson(res, 400, period)
      return sendJson(res, 200, await decisionSupport(deps, period))
    })
  }
}
