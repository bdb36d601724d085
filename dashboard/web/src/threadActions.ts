/**
 * Which actions a user is offered on a thread: what their permissions allow (GET
 * /api/v1/me) and what the thread's state accepts (docs/lifecycle.md). The server
 * decides again on every request; this only keeps buttons that cannot work off screen.
 * A leader holds no write permission and so is never offered anything.
 */
import type { Permission, State } from '../../../common/contract/api.ts'

/** ThreadAction is a button group of the thread detail. */
export type ThreadAction = 'acknowledge' | 'rectify' | 'review'

const OFFERS: ReadonlyArray<{ action: ThreadAction; needs: Permission; from: readonly State[] }> = [
  { action: 'acknowledge', needs: 'alerts.acknowledge', from: ['raised', 'notified'] },
  { action: 'rectify', needs: 'alerts.rectify', from: ['acknowledged', 'returned'] },
  { action: 'review', needs: 'alerts.review', from: ['rectification_submitted'] },
]

/** availableActions lists the actions to offer on a thread in `state`. */
export function availableActions(permissions: readonly Permission[], state: State): ThreadAction[] {
  return OFFERS.filter((o) => permissions.includes(o.needs) && o.from.includes(state)).map((o) => o.action)
}
