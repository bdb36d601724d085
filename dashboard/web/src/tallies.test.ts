import { describe, expect, it } from 'vitest'
import type { AlertView } from '../../../common/contract/api.ts'
import { emptyTallies, MAX_DEPTS, tallyCard } from './tallies.ts'

function card(dept: string, level: 'yellow' | 'red', status = 'open'): AlertView {
  return { key: `${dept}${level}${Math.random()}`, rule: 'r', level, kind: null, caseId: 'c', dept, at: '2026-03-02T09:00:00+08:00', causes: [], settingsVersion: 'v', raisedAt: '', status }
}

describe('tallies', () => {
  it('counts a new card by level and by department', () => {
    let t = emptyTallies()
    t = tallyCard(t, card('health', 'red'))
    t = tallyCard(t, card('health', 'yellow'))
    t = tallyCard(t, card('tax', 'red'))
    expect(t.counts).toEqual({ yellow: 1, red: 2 })
    expect(t.byDept).toEqual([{ dept: 'health', yellow: 1, red: 1 }, { dept: 'tax', yellow: 0, red: 1 }])
  })

  it('does not mutate what it was given', () => {
    const t = { counts: { yellow: 0, red: 1 }, byDept: [{ dept: 'health', yellow: 0, red: 1 }] }
    const copy = structuredClone(t)
    tallyCard(t, card('health', 'red'))
    expect(t).toEqual(copy)
  })

  it('skips handled cards but counts unfamiliar statuses', () => {
    let t = tallyCard(emptyTallies(), card('health', 'red', 'closed'))
    expect(t.counts.red).toBe(0)
    t = tallyCard(t, card('health', 'red', 'new'))
    expect(t.counts.red).toBe(1)
  })

  it('bounds the department list but keeps counting', () => {
    let t = emptyTallies()
    for (let i = 0; i < MAX_DEPTS + 5; i++) t = tallyCard(t, card(`d${i}`, 'yellow'))
    expect(t.byDept).toHaveLength(MAX_DEPTS)
    expect(t.counts.yellow).toBe(MAX_DEPTS + 5)
  })
})
