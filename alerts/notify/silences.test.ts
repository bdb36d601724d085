import { describe, expect, it } from 'vitest'
import { silencedBy, silenceMutes, silenceStage, type Silence } from './silences.ts'
import { card, notice, testCtx } from './testing.ts'

const silence = (over: Partial<Silence>): Silence => ({
  id: '1', rule: null, dept: null, startsAt: 100, endsAt: 200, reason: '系统割接', createdBy: 'wang', createdAt: 0, ...over,
})

describe('silenceMutes', () => {
  it('mutes a rule in every department', () => {
    const s = silence({ rule: 'approval.overdue' })
    expect(silenceMutes(s, card({ dept: 'tax' }), 150)).toBe(true)
    expect(silenceMutes(s, card({ rule: 'approval.fee_mismatch' }), 150)).toBe(false)
  })

  it('mutes a department for every rule, and both matchers must match when both are set', () => {
    expect(silenceMutes(silence({ dept: 'tax' }), card({ dept: 'tax', rule: 'petition.repeat' }), 150)).toBe(true)
    const both = silence({ rule: 'approval.overdue', dept: 'tax' })
    expect(silenceMutes(both, card({ dept: 'tax' }), 150)).toBe(true)
    expect(silenceMutes(both, card({ dept: 'market' }), 150)).toBe(false)
  })

  it('holds in [startsAt, endsAt) only', () => {
    const s = silence({ rule: 'approval.overdue' })
    expect([99, 100, 199, 200].map((t) => silenceMutes(s, card(), t))).toEqual([false, true, true, false])
  })

  it('never mutes everything: a silence without matchers mutes nothing', () => {
    expect(silenceMutes(silence({}), card(), 150)).toBe(false)
  })
})

describe('silenceStage', () => {
  it('drops muted notices with the silence id recorded and lets the others through', async () => {
    const ctx = testCtx(150)
    const muted = notice({ rule: 'approval.overdue' })
    const other = notice({ rule: 'petition.repeat', level: 'yellow', kind: 'petition', caseId: 'P-1' })
    const stage = silenceStage(async () => [silence({ id: '9', rule: 'approval.overdue' })])
    expect(await stage.exec(ctx, [muted, other])).toEqual([other])
    expect(ctx.recorded).toMatchObject([{ stage: 'silences', key: muted.alert.key, action: 'drop', reason: 'silenced', silenceId: '9' }])
  })

  it('reads the silences at the run instant, and not for an empty run', async () => {
    const asked: number[] = []
    const stage = silenceStage(async (now) => (asked.push(now), []))
    await stage.exec(testCtx(1), [])
    await stage.exec(testCtx(2), [notice()])
    expect(asked).toEqual([2])
  })

  it('picks the first matching silence', () => {
    const list = [silence({ id: 'a', dept: 'tax' }), silence({ id: 'b', rule: 'approval.overdue' })]
    expect(silencedBy(list, card(), 150)?.id).toBe('b')
  })
})
