/**
 * syntheticCity writes a year of city events: `cases` cases, about `events` events in
 * all, mostly approvals, with a small share of violations. Deterministic (seeded).
 */
import { mulberry32 } from '../demo/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'

const DAY = 86_400_000
const YEAR_START = Date.parse('2026-01-01T00:00:00+08:00')
const DEPTS = ['market', 'housing', 'tax', 'health', 'transport', 'environment', 'letters', 'education', 'civil', 'hrss', 'natres', 'publicsec']


const iso = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00'

/** syntheticCity returns the events of a year in arrival order (roughly by time, with some late ones). */
export function syntheticCity(cases: number, events: number, seed = 7): CaseEvent[] {
  const r = mulberry32(seed).next
  const perCase = events / cases
  const out: CaseEvent[] = []
  let n = 0
  for (let i = 0; i < cases; i++) {
    const dept = DEPTS[i % DEPTS.length]!
    const t0 = YEAR_START + Math.floor(r() * 330 * DAY)
    const caseId = `C-${i}`
    const push = (kind: CaseEvent['kind'], type: string, t: number, attrs?: Record<string, unknown>) =>
      out.push({ id: `e${n++}`, source: 'bench', kind, type, caseId, dept, at: iso(t), ...(attrs ? { attrs } : {}) })
    const k = r()
    if (k < 0.7) {
      const promised = 3 + Math.floor(r() * 15)
      const late = r() < 0.08
      push('approval', 'submitted', t0, { itemCode: 'X-1' })
      push('approval', 'accepted', t0 + 3_600_000, { itemCode: 'X-1', itemName: '许可', promisedDays: promised, legalDays: 20 + promised, feeStandard: 0 })
      const extra = Math.max(0, Math.round(perCase) - 4)
      for (let j = 0; j < extra; j++) {
        const fee = r() < 0.5
        push('approval', fee ? 'fee' : 'evaluated', t0 + (j + 2) * 3_600_000, fee ? { amount: 0 } : { score: 1 + Math.floor(r() * 5) })
      }
      const done = t0 + (late ? promised * 2 : Math.max(1, promised / 2)) * DAY
      push('approval', 'decided', done - 3_600_000, { decision: 'approve' })
      push('approval', 'completed', done)
    } else if (k < 0.85) {
      push('enforcement', 'filed', t0, { limitDays: 90 })
      push('enforcement', 'penalty', t0 + Math.floor(r() * 100) * DAY, { amount: 1000 + r() * 100000, min: 1000, max: 100000 })
      push('enforcement', 'concluded', t0 + 101 * DAY)
      for (let j = 0; j < Math.round(perCase) - 3; j++) push('enforcement', 'concluded', t0 + 102 * DAY + j)
    } else {
      push('petition', 'registered', t0, { petitionerId: `p${Math.floor(r() * cases / 3)}`, subject: '事项' })
      push('petition', 'accepted', t0 + 2 * DAY)
      push('petition', 'replied', t0 + Math.floor(r() * 70) * DAY)
      push('petition', 'evaluated', t0 + 71 * DAY, { satisfied: r() > 0.1 })
      for (let j = 0; j < Math.round(perCase) - 4; j++) push('petition', 'evaluated', t0 + 72 * DAY + j, { satisfied: true })
    }
  }
  return out
}
