import { describe, expect, it } from 'vitest'
import { digestId, Grouper, groupStage } from './group.ts'
import type { Notice } from './stage.ts'
import { DUTY, HEAD, notice, testCtx } from './testing.ts'

const S = 1_000
const routed = (caseId: string, level: 'yellow' | 'red' = 'yellow', extra: Partial<Notice> = {}): Notice =>
  notice({ caseId, level }, 0, { recipient: DUTY, thread: `approval.deadline:approval:${caseId}`, ...extra })
const keys = (d: { notices: readonly Notice[] }) => d.notices.map((n) => n.alert.caseId)

describe('Grouper', () => {
  it('collects the notices of one department and recipient within the group wait into one digest', () => {
    const g = new Grouper()
    g.add(routed('A-1'), 0)
    g.add(routed('A-2'), 20 * S)
    g.add(routed('A-3'), 50 * S)
    expect(g.due(59 * S)).toEqual([])
    expect(g.nextDue()).toBe(60 * S)
    const [d, ...more] = g.due(60 * S)
    expect(more).toEqual([])
    expect(keys(d!)).toEqual(['A-1', 'A-2', 'A-3'])
    expect(d).toMatchObject({ dept: 'market', recipient: DUTY, groupKey: `market|${DUTY.phone}` })
    expect(g.size).toBe(0)
  })

  it('keeps recipients and departments apart', () => {
    const g = new Grouper()
    g.add(routed('A-1'), 0)
    g.add({ ...routed('A-2'), recipient: HEAD }, 0)
    g.add({ ...routed('A-3'), alert: { ...routed('A-3').alert, dept: 'tax' } }, 0)
    expect(g.due(60 * S).map(keys)).toEqual([['A-1'], ['A-2'], ['A-3']])
  })

  it('lets a red notice go at once, with whatever its group holds', () => {
    const g = new Grouper()
    g.add(routed('A-1'), 0)
    g.add(routed('B-1', 'red'), 10 * S)
    expect(g.due(10 * S).map(keys)).toEqual([['A-1', 'B-1']])
  })

  it('lets a red notice replace the pending yellow of its thread', () => {
    const g = new Grouper()
    const y = routed('A-1')
    g.add(y, 0)
    expect(g.add(routed('A-1', 'red'), 5 * S)).toEqual([y])
    const [d] = g.due(5 * S)
    expect(d!.notices.map((n) => n.alert.level)).toEqual(['red'])
  })

  it('lets a notice that already waited skip the group wait', () => {
    const g = new Grouper()
    g.add(routed('A-1', 'yellow', { deferUntil: 0 }), 0)
    expect(g.due(0).map(keys)).toEqual([['A-1']])
  })

  it('waits the group interval after a message before the next yellow one', () => {
    const g = new Grouper({ groupWaitMs: 60 * S, groupIntervalMs: 300 * S, maxNotices: 100 })
    g.add(routed('A-1'), 0)
    g.due(60 * S)
    g.add(routed('A-2'), 100 * S)
    expect(g.due(160 * S)).toEqual([])
    expect(g.due(360 * S).map(keys)).toEqual([['A-2']])
    g.add(routed('A-3'), 2_000 * S)
    expect(g.nextDue()).toBe(2_060 * S)
  })

  it('is bounded: over capacity the oldest group goes out early, nothing is lost', () => {
    const g = new Grouper({ groupWaitMs: 60 * S, groupIntervalMs: 0, maxNotices: 2 })
    g.add(routed('A-1'), 0)
    g.add({ ...routed('A-2'), recipient: HEAD }, 1 * S)
    g.add({ ...routed('A-3'), alert: { ...routed('A-3').alert, dept: 'tax' } }, 2 * S)
    expect(g.due(2 * S).map(keys)).toEqual([['A-1']])
    expect(g.size).toBe(2)
  })

  it('knows the keys it holds and drops a withdrawn card', () => {
    const g = new Grouper()
    const n = routed('A-1')
    g.add(n, 0)
    expect(g.holds(n.alert.key)).toBe(true)
    expect(g.remove(n.alert.key)).toEqual([n])
    expect(g.holds(n.alert.key)).toBe(false)
    expect(g.nextDue()).toBeUndefined()
  })

  it('takes back notices that could not be enqueued, due at the retry instant', () => {
    const g = new Grouper()
    g.requeue(routed('A-1'), 30 * S)
    expect(g.due(29 * S)).toEqual([])
    expect(g.due(30 * S).map(keys)).toEqual([['A-1']])
  })

  it('forgets a group that has been quiet for a whole interval', () => {
    const g = new Grouper({ groupWaitMs: 0, groupIntervalMs: 10 * S, maxNotices: 10 })
    g.add(routed('A-1'), 0)
    g.due(0)
    g.due(10 * S)
    g.add(routed('A-2'), 10 * S)
    expect(g.nextDue()).toBe(10 * S)
  })
})

describe('digestId', () => {
  it('depends on the recipient and the cards, not their order, and hides the phone', () => {
    const a = routed('A-1')
    const b = routed('A-2')
    expect(digestId('market', DUTY, [a, b])).toBe(digestId('market', DUTY, [b, a]))
    expect(digestId('market', DUTY, [a, b])).not.toBe(digestId('market', HEAD, [a, b]))
    expect(digestId('market', DUTY, [a])).toMatch(/^digest:market:[0-9a-f]{16}$/)
  })
})

describe('groupStage', () => {
  it('marks released notices with their digest, passes unrouted ones and records superseded yellows', async () => {
    const stage = groupStage(new Grouper())
    const unrouted = notice({ dept: 'tax' })
    expect(await stage.exec(testCtx(0), [routed('A-1'), unrouted])).toEqual([unrouted])
    const ctx = testCtx(1 * S)
    const out = await stage.exec(ctx, [routed('A-1', 'red')])
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ groupKey: `market|${DUTY.phone}`, digestId: expect.stringMatching(/^digest:market:/) })
    expect(ctx.recorded).toMatchObject([{ stage: 'group', reason: 'superseded', level: 'yellow', role: 'duty' }])
  })
})
