/**
 * caseProgress is what the public lookup shows of a case: its stages and their local
 * dates, nothing else. A whitelist per kind keeps out every event that could carry
 * more (fees, ratings, penalties' amounts) and every attribute: no names, no phones,
 * no reasons, no times of day.
 */
import type { CaseEvent, Kind, PublicCaseProgress, PublicStage } from '../../../common/contract/index.ts'

/** STAGES lists, per kind, the event types that are stages a member of the public may see. */
export const STAGES: Record<Kind, ReadonlySet<string>> = {
  approval: new Set(['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'decided', 'completed', 'withdrawn']),
  enforcement: new Set(['filed', 'concluded']),
  petition: new Set(['registered', 'accepted', 'extended', 'replied']),
  supervision: new Set(['assigned', 'completed']),
}

/** ENDS are the stages after which a case is finished. */
const ENDS: ReadonlySet<string> = new Set(['rejected', 'completed', 'withdrawn', 'concluded', 'replied'])

/** caseProgress reduces a case's events (in case order) to its public stages; `dateOf` gives an instant's local date. */
export function caseProgress(kind: Kind, caseId: string, events: ReadonlyArray<{ t: number; ev: Pick<CaseEvent, 'type'> }>, dateOf: (t: number) => string): PublicCaseProgress {
  const stages: PublicStage[] = []
  for (const e of events) if (STAGES[kind].has(e.ev.type)) stages.push({ stage: e.ev.type, date: dateOf(e.t) })
  const last = stages.at(-1)
  return { caseId, kind, stages, finished: last !== undefined && ENDS.has(last.stage) }
}
