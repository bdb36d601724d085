import { describe, expect, it } from 'vitest'
import { messagesOf, outboxStage, type OutboxEntry } from './outbox.ts'
import type { Notice } from './stage.ts'
import { shortCode } from './text.ts'
import { deptNames, DUTY, HEAD, notice, testCtx } from './testing.ts'

const inDigest = (caseId: string, digestId: string, level: 'yellow' | 'red' = 'yellow'): Notice =>
  notice({ caseId, level }, 0, { recipient: DUTY, digestId, groupKey: `market|${DUTY.phone}` })

function collect() {
  const entries: Array<OutboxEntry & { covers: readonly string[] }> = []
  return { entries, enqueue: async (e: OutboxEntry, covers: readonly string[]) => void entries.push({ ...e, covers }) }
}

describe('messagesOf', () => {
  it('bundles notices by digest; a digest of one card is that card', () => {
    const ms = messagesOf([inDigest('A-1', 'digest:market:1'), inDigest('A-2', 'digest:market:1'), inDigest('A-3', 'digest:market:2'), notice()])
    expect(ms.map((m) => [m.ref, m.notices.length])).toEqual([
      ['digest:market:1', 2],
      [inDigest('A-3', 'x').alert.key, 1],
    ])
  })
})

describe('outboxStage', () => {
  it('enqueues a single card under its key, with the code of its key', async () => {
    const { entries, enqueue } = collect()
    const n = inDigest('A-0001', 'digest:market:1', 'red')
    const out = await outboxStage(enqueue, undefined, deptNames).exec(testCtx(0), [n])
    const code = shortCode(n.alert.key)
    expect(entries).toEqual([
      { ref: n.alert.key, recipient: DUTY.phone, body: `【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 ${code}"`, dept: "market", covers: [n.alert.key] },
    ])
    expect(out).toMatchObject([{ ref: n.alert.key, shortCode: code }])
  })

  it('enqueues a digest under its id, covering every card in it', async () => {
    const { entries, enqueue } = collect()
    const items = ['A-1', 'A-2', 'A-3'].map((c) => ({ ...inDigest(c, 'digest:market:abc'), thread: `t:${c}` }))
    await outboxStage(enqueue, () => 'K7Q2', deptNames).exec(testCtx(0), items)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ ref: 'digest:market:abc', body: '【电子监察】市场监管局：新增黄牌3张，详见工作台，回复"确认 K7Q2"确认全部' })
    expect(entries[0]!.covers).toHaveLength(6)
  })

  it('asks codeFor with the ref and the alert keys', async () => {
    const asked: Array<[string, readonly string[]]> = []
    const n = { ...inDigest('A-1', 'd'), recipient: HEAD }
    await outboxStage(collect().enqueue, (ref, keys) => (asked.push([ref, keys]), 'ABCD')).exec(testCtx(0), [n])
    expect(asked).toEqual([[n.alert.key, [n.alert.key]]])
  })

  it('returns the notices of a message it could not enqueue as failed, and goes on with the others', async () => {
    const ctx = testCtx(0)
    const sent: string[] = []
    const enqueue = async (e: OutboxEntry) => {
      if (e.ref.startsWith('digest:market:bad')) throw new Error('db down')
      sent.push(e.ref)
    }
    const out = await outboxStage(enqueue).exec(ctx, [inDigest('A-1', 'digest:market:bad'), inDigest('A-2', 'digest:market:bad'), inDigest('A-3', 'digest:market:ok')])
    expect(out.filter((n) => n.failed).map((n) => n.alert.caseId)).toEqual(['A-1', 'A-2'])
    expect(sent).toEqual([inDigest('A-3', 'x').alert.key])
    expect(ctx.recorded).toMatchObject([{ reason: 'enqueue_failed', action: 'defer' }, { reason: 'enqueue_failed' }])
  })

  it('passes notices without a recipient through untouched', async () => {
    const n = notice({ dept: 'tax' })
    expect(await outboxStage(collect().enqueue).exec(testCtx(0), [n])).toEqual([n])
  })
})
