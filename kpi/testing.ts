/** Test helpers of kpi: case events built tersely, as timed events or as JSON lines. */
import type { CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'

let seq = 0

/** EventOptions name the department and id of a test event (default: market, a fresh id). */
export interface EventOptions {
  dept?: string
  id?: string
}

/** caseEvent builds a contract event; `at` is RFC 3339 with an offset. */
export function caseEvent(kind: Kind, type: string, caseId: string, at: string, attrs?: Record<string, unknown>, opts: EventOptions = {}): CaseEvent {
  seq++
  return {
    id: opts.id ?? `${caseId}-${type}-${seq}`,
    source: 'test',
    kind,
    type,
    caseId,
    dept: opts.dept ?? 'market',
    at,
    ...(attrs ? { attrs } : {}),
  }
}

/** timed gives events their instants and arrival order (the order given), as replay reads them. */
export function timed(events: readonly CaseEvent[]): TimedEvent[] {
  return events.map((ev, i) => ({ ev, t: Date.parse(ev.at), seq: i + 1 }))
}

/** accepted builds an approval's `accepted` with the contract's required attributes. */
export function accepted(caseId: string, at: string, promisedDays: number, opts: EventOptions & { dayType?: 'working' | 'calendar' } = {}): CaseEvent {
  const attrs = { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays, legalDays: Math.max(promisedDays, 20), ...(opts.dayType ? { dayType: opts.dayType } : {}) }
  return caseEvent('approval', 'accepted', caseId, at, attrs, opts)
}
