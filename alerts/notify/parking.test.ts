import { describe, expect, it } from 'vitest'
import { Parking } from './parking.ts'
import { notice } from './testing.ts'

describe('Parking', () => {
  it('gives notices back once their instant has come, in parking order', () => {
    const p = new Parking()
    const a = notice({ caseId: 'A-1' })
    const b = notice({ caseId: 'A-2' })
    const c = notice({ caseId: 'A-3' })
    p.park(a, 200)
    p.park(b, 100)
    p.park(c, 300)
    expect(p.nextDue()).toBe(100)
    expect(p.due(99)).toEqual([])
    expect(p.due(200)).toEqual([a, b])
    expect(p.nextDue()).toBe(300)
    expect(p.size).toBe(1)
  })

  it('knows the keys it holds, until they leave', () => {
    const p = new Parking()
    const n = { ...notice(), thread: 'approval.deadline:approval:A-0001' }
    p.park(n, 10)
    expect(p.holds(n.alert.key)).toBe(true)
    expect(p.holds('thread:approval.deadline:approval:A-0001:red')).toBe(true)
    p.due(10)
    expect(p.holds(n.alert.key)).toBe(false)
    expect(p.nextDue()).toBeUndefined()
  })

  it('is bounded: a full parking refuses', () => {
    const p = new Parking(2)
    expect([1, 2, 3].map((i) => p.park(notice({ caseId: `A-${i}` }), 10))).toEqual([true, true, false])
    expect(p.size).toBe(2)
  })

  it('removes a withdrawn card', () => {
    const p = new Parking()
    const n = notice()
    p.park(n, 10)
    p.park(notice({ caseId: 'B-1' }), 5)
    expect(p.remove(n.alert.key)).toEqual([n])
    expect(p.holds(n.alert.key)).toBe(false)
    expect(p.nextDue()).toBe(5)
    expect(p.remove('nothing')).toEqual([])
  })
})
