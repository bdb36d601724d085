import { describe, expect, it } from 'vitest'
import { defaultFilter, fallbackFilter, filterQuery, LIST_LIMIT, STATE_CHIPS } from './threadFilter.ts'

describe('thread filter', () => {
  it('starts an inspector on what awaits review and the others on open threads', () => {
    expect(defaultFilter('inspector')).toEqual({ chip: 'rectification_submitted', level: null })
    for (const role of ['department', 'leader', 'admin'] as const) expect(defaultFilter(role)).toEqual({ chip: 'open', level: null })
  })

  it('asks the server for open threads, one state, or everything', () => {
    expect(filterQuery({ chip: 'open', level: null })).toEqual({ open: true, limit: LIST_LIMIT })
    expect(filterQuery({ chip: 'returned', level: 'red' })).toEqual({ state: ['returned'], level: 'red', limit: LIST_LIMIT })
    expect(filterQuery({ chip: 'all', level: 'yellow' })).toEqual({ level: 'yellow', limit: LIST_LIMIT })
  })

  it('offers open first, every state, then all', () => {
    expect(STATE_CHIPS[0]).toBe('open')
    expect(STATE_CHIPS.at(-1)).toBe('all')
    expect(STATE_CHIPS).toHaveLength(9)
  })

  it('moves an inspector with nothing to review on to the open threads, once, from the start view only', () => {
    const start = defaultFilter('inspector')
    expect(fallbackFilter('inspector', start, 0)).toEqual({ chip: 'open', level: null })
    expect(fallbackFilter('inspector', start, 2)).toBeNull()
    expect(fallbackFilter('inspector', { chip: 'rectification_submitted', level: 'red' }, 0)).toBeNull()
    expect(fallbackFilter('inspector', { chip: 'open', level: null }, 0)).toBeNull()
    expect(fallbackFilter('department', defaultFilter('department'), 0)).toBeNull()
  })
})
