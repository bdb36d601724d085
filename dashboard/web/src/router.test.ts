import { describe, expect, it } from 'vitest'
import { caseHash, homeOf, pagesFor, parseHash, resolveRoute, sameRoute, toHash } from './router.ts'

describe('router', () => {
  it('reads the pages and a console thread from the hash', () => {
    expect(parseHash('')).toBeNull()
    expect(parseHash('#/')).toBeNull()
    expect(parseHash('#/wall')).toEqual({ page: 'wall' })
    expect(parseHash('#/console')).toEqual({ page: 'console' })
    expect(parseHash('#/console/12')).toEqual({ page: 'console', thread: 12 })
    expect(parseHash('#/silences?x=1')).toEqual({ page: 'silences' })
    expect(parseHash('#/contacts')).toEqual({ page: 'contacts' })
    expect(parseHash('#/users')).toEqual({ page: 'users' })
    expect(parseHash('#/status')).toEqual({ page: 'status' })
    expect(parseHash('#/login')).toEqual({ page: 'login' })
  })

  it('ignores hashes it does not know', () => {
    for (const h of ['#/nope', '#/console/0', '#/console/abc', '#/wall/3', '#/console/1/2', '#/constructor', '#/users/li']) expect(parseHash(h)).toBeNull()
  })

  it('writes a route back as the hash it was read from', () => {
    for (const h of ['#/wall', '#/console', '#/console/7', '#/silences', '#/contacts', '#/users', '#/departments', '#/status', '#/login']) expect(toHash(parseHash(h)!)).toBe(h)
  })

  it('lands a department on its console and everyone else on the wall', () => {
    expect(homeOf('department')).toBe('console')
    for (const role of ['inspector', 'leader', 'admin'] as const) expect(homeOf(role)).toBe('wall')
  })

  it('offers each role only its pages', () => {
    expect(pagesFor('department')).toEqual(['console', 'wall'])
    expect(pagesFor('leader')).toEqual(['leader', 'wall', 'console'])
    expect(pagesFor('inspector')).toContain('silences')
    expect(pagesFor('inspector')).not.toContain('contacts')
    expect(pagesFor('admin')).toContain('contacts')
  })

  it('lets only an admin manage accounts', () => {
    expect(pagesFor('admin')).toEqual(['wall', 'console', 'leader', 'silences', 'contacts', 'users', 'departments', 'status'])
    for (const role of ['inspector', 'leader', 'department'] as const) {
      expect(pagesFor(role)).not.toContain('users')
      expect(resolveRoute({ page: 'users' }, role)).toEqual({ page: homeOf(role) })
    }
    expect(resolveRoute({ page: 'users' }, 'admin')).toEqual({ page: 'users' })
    expect(resolveRoute({ page: 'departments' }, 'admin')).toEqual({ page: 'departments' })
    for (const role of ['inspector', 'leader', 'department'] as const) expect(resolveRoute({ page: 'departments' }, role)).toEqual({ page: homeOf(role) })
    expect(resolveRoute({ page: 'users' }, null)).toEqual({ page: 'login' })
  })

  it('shows the platform status to an admin only', () => {
    expect(resolveRoute({ page: 'status' }, 'admin')).toEqual({ page: 'status' })
    for (const role of ['inspector', 'leader', 'department'] as const) {
      expect(pagesFor(role)).not.toContain('status')
      expect(resolveRoute({ page: 'status' }, role)).toEqual({ page: homeOf(role) })
    }
  })

  it('sends a signed-out visitor to the login page, whatever was asked', () => {
    expect(resolveRoute({ page: 'console', thread: 3 }, null)).toEqual({ page: 'login' })
    expect(resolveRoute(null, null)).toEqual({ page: 'login' })
  })

  it('gives a signed-in user the page asked for when allowed, else the role home', () => {
    expect(resolveRoute(null, 'inspector')).toEqual({ page: 'wall' })
    expect(resolveRoute(null, 'department')).toEqual({ page: 'console' })
    expect(resolveRoute({ page: 'login' }, 'leader')).toEqual({ page: 'wall' })
    expect(resolveRoute({ page: 'console', thread: 9 }, 'department')).toEqual({ page: 'console', thread: 9 })
    expect(resolveRoute({ page: 'contacts' }, 'inspector')).toEqual({ page: 'wall' })
    expect(resolveRoute({ page: 'silences' }, 'department')).toEqual({ page: 'console' })
  })

  it('compares routes by page and thread', () => {
    expect(sameRoute({ page: 'console' }, { page: 'console' })).toBe(true)
    expect(sameRoute({ page: 'console', thread: 1 }, { page: 'console' })).toBe(false)
  })

  it('reads and writes the case page and the public page', () => {
    expect(parseHash('#/case/approval/A-1')).toEqual({ page: 'case', caseKind: 'approval', caseId: 'A-1' })
    expect(parseHash(caseHash('petition', 'TS/2026 #1'))).toEqual({ page: 'case', caseKind: 'petition', caseId: 'TS/2026 #1' })
    expect(toHash({ page: 'case', caseKind: 'petition', caseId: 'TS/2026 #1' })).toBe(caseHash('petition', 'TS/2026 #1'))
    for (const h of ['#/case', '#/case/approval', '#/case/weather/A-1', '#/case/approval/A-1/x', '#/case/approval/%E0%A4']) expect(parseHash(h)).toBeNull()
    expect(parseHash('#/public')).toEqual({ page: 'public' })
    expect(resolveRoute({ page: 'public' }, null)).toEqual({ page: 'public' })
    expect(resolveRoute({ page: 'case', caseKind: 'approval', caseId: 'A-1' }, null)).toEqual({ page: 'login' })
    expect(resolveRoute({ page: 'case', caseKind: 'approval', caseId: 'A-1' }, 'department')).toEqual({ page: 'case', caseKind: 'approval', caseId: 'A-1' })
    expect(sameRoute({ page: 'case', caseKind: 'approval', caseId: 'A-1' }, { page: 'case', caseKind: 'approval', caseId: 'A-2' })).toBe(false)
  })
})

describe("the leader's cockpit", () => {
  it('is open to leaders, inspectors and admins, not to a department', () => {
    for (const role of ['leader', 'inspector', 'admin'] as const) {
      expect(pagesFor(role)).toContain('leader')
      expect(resolveRoute({ page: 'leader' }, role)).toEqual({ page: 'leader' })
    }
    expect(pagesFor('department')).not.toContain('leader')
    expect(resolveRoute({ page: 'leader', query: 'period=2026-11' }, 'department')).toEqual({ page: 'console' })
    expect(resolveRoute({ page: 'leader' }, null)).toEqual({ page: 'login' })
  })

  it('keeps its view in the address', () => {
    const r = parseHash('#/leader?period=2026-Q4&dept=market')
    expect(r).toEqual({ page: 'leader', query: 'period=2026-Q4&dept=market' })
    expect(toHash(r!)).toBe('#/leader?period=2026-Q4&dept=market')
    expect(parseHash('#/leader')).toEqual({ page: 'leader' })
    expect(parseHash('#/leader/3')).toBeNull()
  })
})

describe('the wall keeps its options in the address', () => {
  it('reads and writes #/wall?kiosk=1&rotate=30 whole, and resolves it as the wall', () => {
    const r = parseHash('#/wall?kiosk=1&rotate=30')
    expect(r).toEqual({ page: 'wall', query: 'kiosk=1&rotate=30' })
    expect(toHash(r!)).toBe('#/wall?kiosk=1&rotate=30')
    expect(resolveRoute(r, 'leader')).toEqual(r)
    expect(toHash({ page: 'wall' })).toBe('#/wall')
  })
})
