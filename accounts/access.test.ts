import { describe, expect, it } from 'vitest'
import { ACTIONS, alertScope, can, permissions, type Action, type Principal } from './access.ts'

const inspector: Principal = { role: 'inspector', dept: null, canUnmask: false, disabled: false }
const unmasker: Principal = { ...inspector, canUnmask: true }
const leader: Principal = { role: 'leader', dept: null, canUnmask: false, disabled: false }
const admin: Principal = { role: 'admin', dept: null, canUnmask: false, disabled: false }
const health: Principal = { role: 'department', dept: 'health', canUnmask: false, disabled: false }

const OWN = { dept: 'health' }
const OTHER = { dept: 'transport' }

// Expected answer per action, for an alert of the department user's own department and
// of another one: [inspector, inspector+unmask, leader, admin, department own, department other].
const TABLE: Record<Action, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
  'alerts.read': [true, true, true, true, true, false],
  'alerts.acknowledge': [false, false, false, false, true, false],
  'alerts.rectify': [false, false, false, false, true, false],
  'alerts.review': [true, true, false, false, false, false],
  'cases.flag': [true, true, false, false, false, false],
  'silences.manage': [true, true, false, true, false, false],
  'rankings.read': [true, true, true, true, false, false],
  'kpi.read': [true, true, true, true, true, false],
  'users.manage': [false, false, false, true, false, false],
  'contacts.manage': [false, false, false, true, false, false],
  'departments.manage': [false, false, false, true, false, false],
  'rules.manage': [false, false, false, true, false, false],
  'sources.manage': [false, false, false, true, false, false],
  'personal.unmask': [false, true, false, false, false, false],
  'platform.status': [false, false, false, true, false, false],
}

describe('access policy', () => {
  it.each(ACTIONS.map((a) => [a, TABLE[a]] as const))('%s: every role, own and other department', (action, want) => {
    expect([
      can(inspector, action, OTHER),
      can(unmasker, action, OTHER),
      can(leader, action, OTHER),
      can(admin, action, OTHER),
      can(health, action, OWN),
      can(health, action, OTHER),
    ]).toEqual(want)
  })

  it('covers every action in the table', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort())
  })

  it('lets a leader read and never write', () => {
    const held = ACTIONS.filter((a) => can(leader, a, OTHER))
    expect(held).toEqual(['alerts.read', 'rankings.read', 'kpi.read'])
  })

  it('refuses a department-scoped action without a resource, and anything to a disabled user or nobody', () => {
    expect(can(health, 'alerts.acknowledge')).toBe(false)
    expect(can(inspector, 'alerts.review')).toBe(true)
    for (const a of ACTIONS) {
      expect(can({ ...unmasker, disabled: true }, a, OWN)).toBe(false)
      expect(can({ ...admin, disabled: true }, a, OWN)).toBe(false)
      expect(can(null, a, OWN)).toBe(false)
    }
  })

  it('refuses unmasking to anyone but an inspector, even with the flag set', () => {
    for (const p of [leader, admin, health]) expect(can({ ...p, canUnmask: true }, 'personal.unmask', OWN)).toBe(false)
  })

  it('turns alerts.read into a query scope', () => {
    expect(alertScope(inspector)).toEqual({ all: true })
    expect(alertScope(leader)).toEqual({ all: true })
    expect(alertScope(admin)).toEqual({ all: true })
    expect(alertScope(health)).toEqual({ dept: 'health' })
    // A department user without a department (not storable, see 010_accounts.sql) reads nothing.
    expect(alertScope({ ...health, dept: null })).toEqual({ none: true })
    expect(alertScope({ ...inspector, disabled: true })).toEqual({ none: true })
    expect(alertScope(null)).toEqual({ none: true })
  })

  it('lists what a user holds within their own scope', () => {
    expect(permissions(health)).toEqual(['alerts.read', 'alerts.acknowledge', 'alerts.rectify', 'kpi.read'])
    expect(permissions(unmasker)).toEqual(['alerts.read', 'alerts.review', 'cases.flag', 'silences.manage', 'rankings.read', 'kpi.read', 'personal.unmask'])
    expect(permissions(admin)).toEqual(['alerts.read', 'silences.manage', 'rankings.read', 'kpi.read', 'users.manage', 'contacts.manage', 'departments.manage', 'rules.manage', 'sources.manage', 'platform.status'])
  })
})
