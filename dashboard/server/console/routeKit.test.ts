import { describe, expect, it } from 'vitest'
import { actorOf, apiPath, optionalText } from './routeKit.ts'

describe('apiPath', () => {
  it('gives the decoded segments after /api/v1, and the query', () => {
    const p = apiPath({ url: '/api/v1/alerts/petition.overdue%3Ared%3Apetition%3AP-1?x=1' })
    expect(p?.seg).toEqual(['alerts', 'petition.overdue:red:petition:P-1'])
    expect(p?.url.searchParams.get('x')).toBe('1')
    expect(apiPath({ url: '/api/v1/threads/' })?.seg).toEqual(['threads'])
    expect(apiPath({ url: '/api/v1' })?.seg).toEqual([])
  })

  it('is null outside /api/v1 and for a segment that is not valid percent-encoding', () => {
    for (const url of ['/', '/healthz', '/api/v2/threads', '/apiv1/threads', '/api/v1/%zz', undefined]) expect(apiPath({ url }), String(url)).toBeNull()
  })
})

describe('optionalText', () => {
  it('trims a comment, and reads blank or missing as absent', () => {
    expect(optionalText(' 已收到 ', 'comment', 10)).toBe('已收到')
    expect(optionalText('   ', 'comment', 10)).toBeUndefined()
    expect(optionalText(undefined, 'comment', 10)).toBeUndefined()
    expect(optionalText(null, 'comment', 10)).toBeUndefined()
  })

  it('counts characters, not UTF-16 units, and names the field it refuses', () => {
    expect(optionalText('超期未办'.repeat(2), 'comment', 8)).toBe('超期未办超期未办')
    expect(optionalText('x'.repeat(9), 'why', 8)).toEqual({ error: 'why must be a string of at most 8 characters', field: 'why' })
    expect(optionalText(42, 'comment', 8)).toEqual({ error: 'comment must be a string of at most 8 characters', field: 'comment' })
  })
})

describe('actorOf', () => {
  it('names a user as a thread\'s actor, with the department only when there is one', () => {
    const base = { id: 1, canUnmask: false, disabled: false, createdAt: new Date(0) }
    expect(actorOf({ ...base, username: 'health-desk', role: 'department', dept: 'health' })).toEqual({ role: 'department', name: 'health-desk', dept: 'health' })
    expect(actorOf({ ...base, username: 'wang', role: 'inspector', dept: null })).toEqual({ role: 'inspector', name: 'wang' })
  })
})
