import { describe, expect, it } from 'vitest'
import { validateEvent } from '../common/contract/index.ts'
import { defaultContext, RuleEngine } from '../rules/index.ts'
import { cardEvents, summarize } from './e2eLoad.ts'

describe('cardEvents', () => {
  it('makes valid events, one case each, numbered from where asked', () => {
    const evs = cardEvents('p', 5, 3, Date.parse('2026-06-01T00:00:00Z'))
    expect(evs.map((e) => e.caseId)).toEqual(['p-5', 'p-6', 'p-7'])
    expect(evs[0]!.at).toBe('2026-06-01T00:00:00Z')
    for (const e of evs) expect(validateEvent(e)).toMatchObject({ ok: true })
  })

  it('raises one card per event at once, with no settle delay', () => {
    const at = Date.parse('2026-06-01T00:00:00Z')
    const engine = new RuleEngine(defaultContext(), { settleMs: 0 })
    const fires = cardEvents('p', 0, 4, at).flatMap((ev, seq) => [...engine.ingest({ ev, t: at, seq }, at), ...engine.advance(at, at)])
    expect(fires.map((f) => [f.alert.rule, f.alert.caseId])).toEqual([0, 1, 2, 3].map((i) => ['approval.out_of_order', `p-${i}`]))
  })
})

describe('summarize', () => {
  it('gives nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i) // 100..1, unsorted
    expect(summarize(v)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 })
    expect(summarize([7])).toEqual({ count: 1, p50: 7, p90: 7, p99: 7, max: 7 })
    expect(summarize([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 })
  })
})
