/**
 * What the rules say of the decision-support figures (辅助决策): which cards mark a case
 * overdue and which events end its lateness, and which steps an out-of-order card says
 * were skipped. Pure; the events it reads come from eventStore.ts.
 */

/**
 * OVERDUE_STOPS maps each overdue rule (a red card at a due instant, contract §3) to the
 * event types that end the case's lateness: the ones that would have prevented the card.
 */
export const OVERDUE_STOPS: Readonly<Record<string, readonly string[]>> = {
  'approval.overdue': ['completed', 'withdrawn'],
  'enforcement.overdue': ['penalty', 'concluded'],
  'petition.accept_overdue': ['accepted', 'replied'],
  'petition.reply_overdue': ['replied'],
  'supervision.overdue': ['completed'],
}

/** STEP_RULE is the rule of the step cards (程序异常): an approval's step taken out of order. */
export const STEP_RULE = 'approval.out_of_order'

/** STEP_TYPES are the steps an out-of-order event may have come without. */
export const STEP_TYPES: readonly string[] = ['accepted', 'decided']

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
