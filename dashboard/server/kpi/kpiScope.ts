/**
 * Who reads which figures (accounts' POLICY): `rankings.read` is every department's
 * ranking (inspectors, leaders, administrators); `kpi.read` a department's own figures,
 * which a department user holds for its own department only. So a department user is
 * answered its own row of a ranking and its rank among all, its own trend and
 * drill-down, and 403 for another department's (department codes are no secret: every
 * reader has them from GET /api/v1/depts, so a 404 would hide nothing).
 */
import { can, type User } from '../../../accounts/index.ts'

/** Principal is the part of a user the scope looks at. */
export type Principal = Pick<User, 'role' | 'dept' | 'canUnmask' | 'disabled'>

/** KpiScope is what of a ranking a user reads: every row, one department's row, or nothing. */
export type KpiScope = { all: true } | { dept: string } | { none: true }

/** kpiScope is a user's scope over rankings. */
export function kpiScope(u: Principal): KpiScope {
  if (can(u, 'rankings.read')) return { all: true }
  if (u.dept !== null && can(u, 'kpi.read', { dept: u.dept })) return { dept: u.dept }
  return { none: true }
}

/** mayReadDept tells whether a user reads one department's trend and drill-down. */
export function mayReadDept(u: Principal, dept: string): boolean {
  return can(u, 'kpi.read', { dept })
}

/** mayReadScheme tells whether a user reads the scheme: anyone who reads some figures. */
export function mayReadScheme(u: Principal): boolean {
  return !('none' in kpiScope(u))
}
