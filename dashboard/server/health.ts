/** The dashboard's part of the status (common/health): the browsers connected. It has no problems of its own. */
import type { ComponentProbe } from '../../common/health/index.ts'

/** dashboardProbe reports a dashboard server. */
export function dashboardProbe(server: { sockets(): number }): ComponentProbe<'dashboard'> {
  return { component: 'dashboard', details: () => ({ sockets: server.sockets() }), problems: () => [] }
}
