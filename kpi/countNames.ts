/** The counts of kpi.md §2, per department and period, in the contract's order. */

/** COUNT_NAMES lists every count of kpi.md §2, in the order the output prints them. */
export const COUNT_NAMES = [
  'workload',
  'approval.accepted',
  'approval.completed',
  'approval.on_time',
  'approval.early',
  'approval.evaluated',
  'approval.poor',
  'enforcement.decided',
  'enforcement.on_time',
  'petition.accepted',
  'petition.accepted_on_time',
  'petition.replied',
  'petition.replied_on_time',
  'petition.evaluated',
  'petition.satisfied',
  'supervision.completed',
  'supervision.on_time',
  'cards.yellow',
  'cards.red',
  'threads.ack_due',
  'threads.ack_on_time',
  'threads.rect_due',
  'threads.rect_on_time',
] as const

/** CountName is the name of one count. */
export type CountName = (typeof COUNT_NAMES)[number]

/** Counts holds every count of one department in one period. */
export type Counts = Record<CountName, number>

const KNOWN: ReadonlySet<string> = new Set(COUNT_NAMES)

/** isCountName tells whether a string names a count. */
export function isCountName(s: string): s is CountName {
  return KNOWN.has(s)
}

/** zeroCounts returns counts that are all 0, in the contract's order. */
export function zeroCounts(): Counts {
  const c = {} as Counts
  for (const name of COUNT_NAMES) c[name] = 0
  return c
}
