import { describe, expect, it } from 'vitest'
import { caseProgress } from './caseProgress.ts'

const date = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
const at = (s: string) => Date.parse(s)

describe('caseProgress', () => {
  it('keeps stages and local dates only, never attributes, fees or ratings', () => {
    const events = [
      { t: at('2026-03-01T17:00:00Z'), ev: { type: 'submitted', attrs: { itemCode: 'X' } } },
      { t: at('2026-03-02T01:00:00Z'), ev: { type: 'accepted', attrs: { promisedDays: 5 } } },
      { t: at('2026-03-03T01:00:00Z'), ev: { type: 'fee', attrs: { amount: 80 } } },
      { t: at('2026-03-04T01:00:00Z'), ev: { type: 'completed' } },
      { t: at('2026-03-05T01:00:00Z'), ev: { type: 'evaluated', attrs: { score: 1 } } },
    ]
    const p = caseProgress('approval', 'A-1', events, date)
    expect(p).toEqual({
      caseId: 'A-1', kind: 'approval', finished: true,
      stages: [{ stage: 'submitted', date: '2026-03-02' }, { stage: 'accepted', date: '2026-03-02' }, { stage: 'completed', date: '2026-03-04' }],
    })
    expect(JSON.stringify(p)).not.toMatch(/itemCode|promisedDays|amount|score|T\d\d:/)
  })

  it('is unfinished while the last stage is not an end', () => {
    expect(caseProgress('petition', 'P-1', [{ t: 0, ev: { type: 'registered' } }], date).finished).toBe(false)
  })
})
