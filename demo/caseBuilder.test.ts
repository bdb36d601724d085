import { describe, expect, it } from 'vitest'
import { CaseBuilder } from './caseBuilder.ts'

const head = { seed: 3, index: 17, kind: 'approval' as const, caseId: 'SIM-A-17', dept: 'tax', actor: 'tax-007' }

describe('CaseBuilder', () => {
  it('numbers events and renders them in +08:00', () => {
    const b = new CaseBuilder(head)
    b.add('submitted', Date.parse('2026-03-02T01:00:00Z'), { itemCode: 'TAX-001' }, true)
    b.add('accepted', Date.parse('2026-03-02T02:00:00Z'))
    expect(b.events.map((e) => e.id)).toEqual(['sim-3-17-0', 'sim-3-17-1'])
    expect(b.events[0]).toEqual({
      id: 'sim-3-17-0', source: 'simulator', kind: 'approval', type: 'submitted', caseId: 'SIM-A-17',
      dept: 'tax', at: '2026-03-02T09:00:00+08:00', attrs: { itemCode: 'TAX-001' },
    })
    expect(b.events[1]!.actor).toBe('tax-007')
  })

  it('keeps instants whole seconds and strictly increasing', () => {
    const b = new CaseBuilder(head)
    const t = Date.parse('2026-03-02T01:00:00.250Z')
    expect(b.add('submitted', t)).toBe(t + 750)
    expect(b.add('accepted', t - 5000)).toBe(t + 750 + 60_000)
    expect(b.times).toEqual(b.events.map((e) => Date.parse(e.at)))
  })
})
