/** Test helpers of the rules: store case events as the live worker does, for tests of what reads them. */
import type { CaseEvent, Kind } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { saveStatus, storeEvent } from './eventStore.ts'

let seq = 0

/** storeCaseEvent stores an event and its case's status (open, nothing due), as the worker does after the rules ran. */
export async function storeCaseEvent(
  db: Queryable,
  ev: { id: string; kind: Kind; type: string; caseId: string; dept: string; at: string; attrs?: Record<string, unknown> },
  open = true,
): Promise<void> {
  const t = Date.parse(ev.at)
  await storeEvent(db, { ev: { source: 'test', ...ev } as CaseEvent, t, seq: ++seq })
  await saveStatus(db, ev.kind, ev.caseId, ev.dept, { open, nextDue: null }, t)
}
