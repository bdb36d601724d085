/**
 * The access policy, as one table: which role may do what, and over which departments.
 * Pure: no database, no request. Everything not granted here is refused.
 */
import { PERMISSIONS, type Permission, type Role } from '../common/contract/index.ts'
import type { User } from './users.ts'

/** Action is something a user may try to do: the browser shows them, so they are defined with the shared shapes. */
export type Action = Permission

/** ACTIONS lists every action. */
export const ACTIONS: readonly Action[] = PERMISSIONS

/**
 * Grant is how far a role holds an action: over every department, over its own
 * department only, or (personal.unmask) only with the account's unmask permission.
 */
type Grant = 'all' | 'own dept' | 'with unmask'

/** POLICY is the whole policy. A leader reads and never writes; a department sees only itself. */
const POLICY: Record<Action, Partial<Record<Role, Grant>>> = {
  'alerts.read': { inspector: 'all', leader: 'all', admin: 'all', department: 'own dept' },
  'alerts.acknowledge': { department: 'own dept' },
  'alerts.rectify': { department: 'own dept' },
  'alerts.review': { inspector: 'all' },
  'cases.flag': { inspector: 'all' },
  // Muting a rule or a department (say, during a system migration) is a supervision decision.
  'silences.manage': { inspector: 'all', admin: 'all' },
  'rankings.read': { inspector: 'all', leader: 'all', admin: 'all' },
  // A department reads its own figures and its own rank, never another's (dashboard/server/kpi).
  'kpi.read': { inspector: 'all', leader: 'all', admin: 'all', department: 'own dept' },
  'users.manage': { admin: 'all' },
  'contacts.manage': { admin: 'all' },
  // The department registry names every department in texts and on the wall.
  'departments.manage': { admin: 'all' },
  'rules.manage': { admin: 'all' },
  'sources.manage': { admin: 'all' },
  'personal.unmask': { inspector: 'with unmask' },
  // How the platform's processes are doing, and the events the database refused: running it is an administrator's job.
  'platform.status': { admin: 'all' },
}

/** Principal is the part of a user the policy looks at. */
export type Principal = Pick<User, 'role' | 'dept' | 'canUnmask' | 'disabled'>

/** Resource is what an action is done to: an alert or a case, by its department. */
export interface Resource {
  dept: string
}

/**
 * can tells whether a user may do an action to a resource. A department-scoped grant
 * needs the resource: without one, a department user is refused.
 */
export function can(user: Principal | null, action: Action, resource?: Resource): boolean {
  if (!user || user.disabled) return false
  switch (POLICY[action]?.[user.role]) {
    case 'all':
      return true
    case 'own dept':
      return user.dept !== null && resource !== undefined && resource.dept === user.dept
    case 'with unmask':
      return user.canUnmask === true
    default:
      return false
  }
}

/** AlertScope is the part of the alerts a user may read, for queries. */
export type AlertScope = { all: true } | { dept: string } | { none: true }

/** alertScope turns alerts.read into a query filter: every department, one, or none. */
export function alertScope(user: Principal | null): AlertScope {
  if (!user || user.disabled) return { none: true }
  const grant = POLICY['alerts.read'][user.role]
  if (grant === 'all') return { all: true }
  if (grant === 'own dept' && user.dept) return { dept: user.dept }
  return { none: true }
}

/** permissions lists the actions a user holds within their own scope, for the console to show. */
export function permissions(user: Principal): Action[] {
  return ACTIONS.filter((a) => can(user, a, user.dept ? { dept: user.dept } : undefined))
}
