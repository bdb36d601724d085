/**
 * The load of bench:e2e, pure: events that each raise one card at once (an approval
 * completed with no decision, for a case never seen: approval.out_of_order, red), and
 * the summary of latencies. Each event is its own case, so a card names its event.
 */
import type { CaseEvent } from '../common/contract/index.ts'

const DEPTS = ['market', 'housing', 'tax', 'health', 'transport', 'environment', 'letters', 'education', 'civil', 'hrss', 'natres', 'publicsec']

/** BENCH_SOURCE is the source the bench posts as. */
export const BENCH_SOURCE = 'bench'

/** cardEvents makes n events from number `from` on, case `<prefix>-<i>`, at instant `at` (ms). */
export function cardEvents(prefix: string, from: number, n: number, at: number): CaseEvent[] {
  const iso = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const out: CaseEvent[] = []
  for (let i = from; i < from + n; i++) {
    out.push({ id: `${prefix}-${i}`, source: BENCH_SOURCE, kind: 'approval', type: 'completed', caseId: `${prefix}-${i}`, dept: DEPTS[i % DEPTS.length]!, at: iso })
  }
  return out
}

/** Summary is a distribution of milliseconds. */
export interface Summary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** summarize gives the nearest-rank percentiles of the values (ms, rounded to 0.1); all zero when there are none. */
export function summarize(values: readonly number[]): Summary {
  if (!values.length) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
  const s = [...values].sort((a, b) => a - b)
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! * 10) / 10
  return { count: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(s[s.length - 1]! * 10) / 10 }
}
