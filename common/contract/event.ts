/**
 * Event types of the Jiancha event contract v1 (../shared/contract/README.md §1).
 * The JSON Schema beside this file is the machine-readable source of truth; these
 * types describe what a validated event looks like.
 */

/** Kind is the family of business process an event belongs to. */
export type Kind = 'approval' | 'enforcement' | 'petition' | 'supervision'

export const KINDS: readonly Kind[] = ['approval', 'enforcement', 'petition', 'supervision']

/** EVENT_TYPES lists the allowed `type` values per kind. */
export const EVENT_TYPES: { readonly [K in Kind]: readonly string[] } = {
  approval: ['submitted', 'accepted', 'rejected', 'suspended', 'resumed', 'decided', 'completed', 'fee', 'evaluated', 'withdrawn'],
  enforcement: ['filed', 'penalty', 'concluded'],
  petition: ['registered', 'accepted', 'extended', 'replied', 'evaluated'],
  supervision: ['assigned', 'progress', 'completed'],
}

/** CaseEvent is one validated contract event as sent by a source. */
export interface CaseEvent {
  id: string
  source: string
  kind: Kind
  type: string
  caseId: string
  dept: string
  /** RFC 3339 with offset, as sent. */
  at: string
  actor?: string
  attrs?: Record<string, unknown>
  /** Unknown fields are kept but ignored. */
  [extra: string]: unknown
}

/**
 * TimedEvent is a CaseEvent with its instant parsed and its arrival order fixed.
 * `seq` breaks ties between equal `at` (contract §3: equal `at` keep arrival order).
 */
export interface TimedEvent {
  ev: CaseEvent
  /** Epoch milliseconds of `ev.at`. */
  t: number
  /** Arrival order: JetStream stream sequence live, line number in replay. */
  seq: number
}

/** caseKey identifies a case; caseId is unique only within its kind. */
export function caseKey(kind: Kind, caseId: string): string {
  return `${kind}:${caseId}`
}
