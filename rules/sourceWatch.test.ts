import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { SourceWatch } from './sourceWatch.ts'

const ctx = defaultContext()
const t = (s: string) => Date.parse(s)

describe('SourceWatch', () => {
  it('raises one card when a source is silent for N office hours, at the true instant', () => {
    const w = new SourceWatch(4, ctx)
    w.seen('hall', 'market', t('2026-11-20T15:00:00+08:00')) // a Friday afternoon
    expect(w.due(t('2026-11-23T10:59:00+08:00'), 'v1')).toEqual([])
    const cards = w.due(t('2026-11-23T12:00:00+08:00'), 'v1')
    expect(cards).toEqual([
      expect.objectContaining({ rule: 'source.silent', level: 'yellow', kind: null, dept: 'market', caseId: 'hall@2026-11-20T15:00:00+08:00', at: '2026-11-23T11:00:00+08:00' }),
    ])
    expect(w.due(t('2026-11-24T12:00:00+08:00'), 'v1')).toEqual([])
  })

  it('starts over when the source speaks again, and raises again for a new silence', () => {
    const w = new SourceWatch(2, ctx)
    w.seen('hall', 'market', t('2026-11-23T09:00:00+08:00'))
    w.seen('hall', 'market', t('2026-11-23T10:30:00+08:00'))
    expect(w.due(t('2026-11-23T12:00:00+08:00'), 'v1')).toEqual([])
    expect(w.due(t('2026-11-23T12:30:00+08:00'), 'v1')).toHaveLength(1)
    w.seen('hall', 'market', t('2026-11-24T09:00:00+08:00'))
    const again = w.due(t('2026-11-24T11:00:00+08:00'), 'v1')
    expect(again.map((a) => a.caseId)).toEqual(['hall@2026-11-24T09:00:00+08:00'])
  })

  it('never raises for a source never heard from', () => {
    expect(new SourceWatch(1, ctx).due(t('2027-01-01T00:00:00+08:00'), 'v1')).toEqual([])
  })
})
