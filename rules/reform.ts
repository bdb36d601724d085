/**
 * What the rules say of the decision-support figures (辅助决策): which cards mark a case
 * overdue and which events end its lateness, and which steps an out-of-order card says
 * were skipped. Pure; the events it reads come from eventStore.ts (eventsOfTypes).
 */
import type { CaseMark } from './eventStore.ts'

/**
 * OVERDUE_STOPS maps each overdue rule (a red card at a due instant, contract §3) to the
 * event types that end the case's lateness: the ones that would have prevented the card.
 */
export const OVERDUE_STOPS: ReadonlyMap<string, readonly string[]> = new Map([
  ['approval.overdue', ['completed', 'withdrawn']],
  ['enforcement.overdue', ['penalty', 'concluded']],
  ['petition.accept_overdue', ['accepted', 'replied']],
  ['petition.reply_overdue', ['replied']],
  ['supervision.overdue', ['completed']],
])

/** STEP_RULE is the rule of the step cards (程序异常): an approval's step taken out of order. */
export const STEP_RULE = 'approval.out_of_order'

/** STEP_TYPES are the steps an out-of-order event may have come without. */
const STEP_TYPES: readonly string[] = ['accepted', 'decided']

/** REFORM_TYPES are the event types these facts read: the stops, the steps and the step cards' events. */
export const REFORM_TYPES: readonly string[] = [...new Set([...[...OVERDUE_STOPS.values()].flat(), ...STEP_TYPES, 'completed'])].sort()

/** firstAtOrAfter is the instant of a case's first event of `types` at or after `after`, or null; `marks` in contract order. */
export function firstAtOrAfter(marks: readonly CaseMark[], after: number, types: readonly string[]): number | null {
  return marks.find((m) => m.at >= after && types.includes(m.type))?.at ?? null
}

/**
 * stepsOfCard names the steps a step card says were skipped, read at its cause (the
 * event `causeId` at `at`) among the case's marks in contract order; a cause not
 * stored is read as coming after every event before its instant.
 */
export function stepsOfCard(marks: readonly CaseMark[], causeId: string | undefined, at: number): string[] {
  const i = marks.findIndex((m) => m.id === causeId && m.at === at)
  const earlier = i < 0 ? marks.filter((m) => m.at < at) : marks.slice(0, i)
  return skippedSteps(i < 0 ? null : marks[i]!.type, new Set(earlier.map((m) => m.type).filter((t) => STEP_TYPES.includes(t))))
}

/**
 * skippedSteps names the steps the event of a step card came without, as approval.ts
 * decides it: `decided` or `completed` with no earlier `accepted`, and `completed` with
 * no earlier `decided`. `earlier` holds the STEP_TYPES the case had before that event.
 */
export function skippedSteps(type: string | null, earlier: ReadonlySet<string>): string[] {
  const out: string[] = []
  if (!earlier.has('accepted')) out.push('approval.accepted')
  if (type === 'completed' && !earlier.has('decided')) out.push('approval.decided')
  return out
}
