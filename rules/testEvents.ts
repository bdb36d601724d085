/** Test helpers: build timed events tersely. Used by the rules' tests only. */
import type { CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'

let seq = 0

/** te builds a TimedEvent; `at` is RFC 3339 with offset. */
export function te(kind: Kind, type: string, caseId: string, at: string, attrs?: Record<string, unknown>, id?: string): TimedEvent {
  seq++
  const ev: CaseEvent = { id: id ?? `${caseId}-${type}-${seq}`, source: 'test', kind, type, caseId, dept: 'd1', at, ...(attrs ? { attrs } : {}) }
  return { ev, t: Date.parse(at), seq }
}

/** sorted orders events the way the engine holds them. */
export function sorted(list: TimedEvent[]): TimedEvent[] {
  return [...list].sort((a, b) => a.t - b.t || a.seq - b.seq)
}
