import { describe, expect, it } from 'vitest'
import { decide, multiStage, toNotice, type Notice, type Stage } from './stage.ts'
import { card, notice, testCtx } from './testing.ts'

const tag = (name: string, seen: string[]): Stage => ({
  name,
  async exec(_ctx, items) {
    seen.push(`${name}:${items.length}`)
    return items.map((n) => ({ ...n, groupKey: `${n.groupKey ?? ''}${name}` }))
  },
})

describe('multiStage', () => {
  it('runs the stages in order, each on what the previous returned', async () => {
    const seen: string[] = []
    const dropAll: Stage = { name: 'drop', exec: async () => [] }
    const out = await multiStage(tag('a', seen), tag('b', seen), dropAll, tag('c', seen)).exec(testCtx(0), [notice()])
    expect(out).toEqual([])
    expect(seen).toEqual(['a:1', 'b:1', 'c:0'])
  })

  it('runs every stage even on an empty list, so a later stage can release what it holds', async () => {
    const held = notice({ caseId: 'H-1' })
    const release: Stage = { name: 'release', exec: async (_ctx, items) => [...items, held] }
    const out = await multiStage(tag('a', []), release).exec(testCtx(0), [])
    expect(out).toEqual([held])
  })

  it('is named after its stages', () => {
    expect(multiStage(tag('a', []), tag('b', [])).name).toBe('a → b')
  })
})

describe('decide', () => {
  it('records the verdict with the card facts, and nothing personal', () => {
    const ctx = testCtx(42)
    const n: Notice = toNotice(card({ level: 'yellow' }), 1, { applicant: '张三', phone: '13812345678' })
    decide(ctx, 'silences', n, 'drop', 'silenced', { silenceId: '7' })
    expect(ctx.recorded).toEqual([
      { at: 42, stage: 'silences', key: n.alert.key, rule: 'approval.due_soon', level: 'yellow', dept: 'market', action: 'drop', reason: 'silenced', silenceId: '7' },
    ])
    expect(JSON.stringify(ctx.recorded)).not.toMatch(/张三|13812345678/)
  })
})
