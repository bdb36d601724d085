import { describe, expect, it } from 'vitest'
import { dedupStage, levelKey, notifyKeys, threadOf } from './dedup.ts'
import { familyOf } from '../lifecycle/states.ts'
import { card, notice, testCtx } from './testing.ts'

const known = (...keys: string[]) => async (asked: readonly string[]) => new Set(asked.filter((k) => keys.includes(k)))
const yellow = () => notice({ level: 'yellow', rule: 'approval.due_soon' })
const red = () => notice({ level: 'red', rule: 'approval.overdue' })
const thread = threadOf(card({ rule: 'approval.overdue' }), familyOf)

describe('dedupStage', () => {
  it('lets a new card through, marked with its thread', async () => {
    const out = await dedupStage(known(), familyOf).exec(testCtx(0), [yellow()])
    expect(out).toHaveLength(1)
    expect(out[0]!.thread).toBe('approval.deadline:approval:A-0001')
    expect(out[0]!.upgrade).toBeUndefined()
  })

  it('drops a card already notified, recording why', async () => {
    const ctx = testCtx(5)
    const n = yellow()
    expect(await dedupStage(known(n.alert.key), familyOf).exec(ctx, [n])).toEqual([])
    expect(ctx.recorded).toMatchObject([{ stage: 'dedup', key: n.alert.key, action: 'drop', reason: 'duplicate' }])
  })

  it('sends a red card on a case whose yellow card was notified: it upgrades, it is no duplicate', async () => {
    const ctx = testCtx(0)
    const out = await dedupStage(known(levelKey(thread, 'yellow')), familyOf).exec(ctx, [red()])
    expect(out).toMatchObject([{ upgrade: true }])
    expect(ctx.recorded).toMatchObject([{ action: 'keep', reason: 'upgrade' }])
  })

  it('drops a yellow card whose thread already went out red', async () => {
    const ctx = testCtx(0)
    expect(await dedupStage(known(levelKey(thread, 'red')), familyOf).exec(ctx, [yellow()])).toEqual([])
    expect(ctx.recorded).toMatchObject([{ reason: 'superseded' }])
  })

  it('sends the same card once when a batch holds it twice', async () => {
    const out = await dedupStage(known(), familyOf).exec(testCtx(0), [yellow(), yellow()])
    expect(out).toHaveLength(1)
  })

  it('keeps cards of unrelated rules on one case apart', async () => {
    const fee = notice({ level: 'red', rule: 'approval.fee_mismatch' })
    const out = await dedupStage(known(levelKey(thread, 'yellow')), familyOf).exec(testCtx(0), [fee])
    expect(out).toMatchObject([{ alert: { rule: 'approval.fee_mismatch' } }])
    expect(out[0]!.upgrade).toBeUndefined()
  })

  it('asks once per batch, and not at all for an empty one', async () => {
    const asked: string[][] = []
    const stage = dedupStage(async (keys) => (asked.push([...keys]), new Set()), familyOf)
    await stage.exec(testCtx(0), [])
    await stage.exec(testCtx(0), [yellow(), red()])
    expect(asked).toHaveLength(1)
    expect(asked[0]).toContain(yellow().alert.key)
    expect(asked[0]).toContain(levelKey(thread, 'yellow'))
  })
})

describe('notifyKeys', () => {
  it('lists the card key and, once threaded, its thread at its level', () => {
    const n = { ...red(), thread }
    expect(notifyKeys(n)).toEqual([n.alert.key, 'thread:approval.deadline:approval:A-0001:red'])
    expect(notifyKeys(red())).toEqual([red().alert.key])
  })
})
