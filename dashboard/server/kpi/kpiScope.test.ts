import { describe, expect, it } from 'vitest'
import { kpiScope, mayReadDept, mayReadScheme, type Principal } from './kpiScope.ts'

const who = (role: Principal['role'], dept: string | null = null, disabled = false): Principal => ({ role, dept, canUnmask: false, disabled })

describe('who reads which figures', () => {
  it('gives inspectors, leaders and administrators every row, a department its own', () => {
    for (const r of ['inspector', 'leader', 'admin'] as const) expect(kpiScope(who(r))).toEqual({ all: true })
    expect(kpiScope(who('department', 'market'))).toEqual({ dept: 'market' })
    expect(kpiScope(who('leader', null, true))).toEqual({ none: true })
    expect(kpiScope(who('department', null))).toEqual({ none: true })
  })

  it('lets a department read its own trend and drill-down, never another\'s', () => {
    expect(mayReadDept(who('department', 'market'), 'market')).toBe(true)
    expect(mayReadDept(who('department', 'market'), 'tax')).toBe(false)
    for (const r of ['inspector', 'leader', 'admin'] as const) expect(mayReadDept(who(r), 'tax')).toBe(true)
    expect(mayReadDept(who('inspector', null, true), 'tax')).toBe(false)
  })

  it('shows the scheme to whoever reads some figures', () => {
    expect(mayReadScheme(who('department', 'market'))).toBe(true)
    expect(mayReadScheme(who('leader'))).toBe(true)
    expect(mayReadScheme(who('admin', null, true))).toBe(false)
  })
})
