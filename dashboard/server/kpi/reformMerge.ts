/**
 * The candidates for process reform (辅助决策), merged from the period's facts: each
 * card (its rule, the steps it says were skipped, its overdue working days) and each
 * suspension, grouped by the case's item, by the card's rule and by the skipped step.
 * Pure: reform.ts reads the facts, this module only counts, ranks and bounds them.
 */
import { caseKey, type Kind, MAX_REFORM_CANDIDATES, MAX_REFORM_CASES, type ReformCandidate } from '../../../common/contract/index.ts'

/** CardFact is a card that fired in the period, with what reform.ts found of it. */
export interface CardFact {
  kind: Kind
  caseId: string
  dept: string
  rule: string
  /** overdue working days of an overdue card (overdueDays.ts); 0 for any other */
  overdueDays: number
  /** the steps a step card says were skipped (rules' skippedSteps); none for any other */
  steps: readonly string[]
}

/** SuspensionFact is a suspension that began in the period. */
export interface SuspensionFact {
  kind: Kind
  caseId: string
  dept: string
}

/** ItemOf is a case's item (事项): its code and, where its events give one, its name. */
export interface ItemOf {
  code: string
  name: string | null
}

/** ReformLimits bound what is answered: candidates per dimension, cases per candidate. */
export interface ReformLimits {
  candidates: number
  cases: number
}

const LIMITS: ReformLimits = { candidates: MAX_REFORM_CANDIDATES, cases: MAX_REFORM_CASES }

type Dimension = ReformCandidate['dimension']

interface CaseTally {
  kind: Kind
  caseId: string
  cards: number
  suspensions: number
  overdueDays: number
}

interface Tally {
  dimension: Dimension
  key: string
  names: Map<string, string>
  cards: number
  suspensions: number
  overdueDays: number
  depts: Set<string>
  cases: Map<string, CaseTally>
}

/**
 * reformCandidates groups the facts into candidates: by item, every card and suspension
 * of the item's cases; by rule, the rule's cards; by step, the cards that skipped it. A
 * suspension also counts for each rule and step whose card is on its case. Each
 * dimension ranks by cards, then overdue days, then suspensions (most first), then key,
 * and keeps `limits.candidates`; items come first, then rules, then steps.
 */
export function reformCandidates(
  cards: readonly CardFact[], suspensions: readonly SuspensionFact[], items: ReadonlyMap<string, ItemOf>, limits: ReformLimits = LIMITS,
): ReformCandidate[] {
  const tallies = new Map<string, Tally>()
  const tally = (dimension: Dimension, key: string): Tally => {
    const id = `${dimension}\u0000${key}`
    let t = tallies.get(id)
    if (!t) tallies.set(id, (t = { dimension, key, names: new Map(), cards: 0, suspensions: 0, overdueDays: 0, depts: new Set(), cases: new Map() }))
    return t
  }
  // The rule and step candidates each case's cards joined, for its suspensions to join too.
  const joined = new Map<string, Set<Tally>>()
  for (const c of cards) {
    const ck = caseKey(c.kind, c.caseId)
    const item = items.get(ck)
    if (item) addCard(tally('item', item.code), c, ck, item.name)
    const ofCase = joined.get(ck) ?? new Set<Tally>()
    joined.set(ck, ofCase)
    for (const t of [tally('rule', c.rule), ...c.steps.map((s) => tally('step', s))]) {
      addCard(t, c, ck, null)
      ofCase.add(t)
    }
  }
  for (const s of suspensions) {
    const ck = caseKey(s.kind, s.caseId)
    const item = items.get(ck)
    if (item) addSuspension(tally('item', item.code), s, ck, item.name)
    for (const t of joined.get(ck) ?? []) addSuspension(t, s, ck, null)
  }
  const all = [...tallies.values()]
  return (['item', 'rule', 'step'] as const).flatMap((d) =>
    all.filter((t) => t.dimension === d).sort(byFigures).slice(0, limits.candidates).map((t) => candidate(t, limits.cases)),
  )
}

function addCard(t: Tally, c: CardFact, ck: string, name: string | null): void {
  t.cards++
  t.overdueDays += c.overdueDays
  t.depts.add(c.dept)
  const ct = caseOf(t, c.kind, c.caseId, ck)
  ct.cards++
  ct.overdueDays += c.overdueDays
  if (name !== null && !t.names.has(ck)) t.names.set(ck, name)
}

function addSuspension(t: Tally, s: SuspensionFact, ck: string, name: string | null): void {
  t.suspensions++
  t.depts.add(s.dept)
  caseOf(t, s.kind, s.caseId, ck).suspensions++
  if (name !== null && !t.names.has(ck)) t.names.set(ck, name)
}

function caseOf(t: Tally, kind: Kind, caseId: string, ck: string): CaseTally {
  let ct = t.cases.get(ck)
  if (!ct) t.cases.set(ck, (ct = { kind, caseId, cards: 0, suspensions: 0, overdueDays: 0 }))
  return ct
}

type Figures = { cards: number; overdueDays: number; suspensions: number }

function moreFirst(a: Figures, b: Figures): number {
  return b.cards - a.cards || b.overdueDays - a.overdueDays || b.suspensions - a.suspensions
}

function byFigures(a: Tally, b: Tally): number {
  return moreFirst(a, b) || compare(a.key, b.key)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function candidate(t: Tally, maxCases: number): ReformCandidate {
  const cases = [...t.cases.values()].sort((a, b) => moreFirst(a, b) || compare(a.kind, b.kind) || compare(a.caseId, b.caseId))
  // An item's name as the first of its cases (by kind and id) that names it gives it: the same whatever the order of the facts.
  const named = [...t.names.entries()].sort(([a], [b]) => compare(a, b))[0]
  return {
    dimension: t.dimension,
    key: t.key,
    ...(named ? { label: named[1] } : {}),
    cards: t.cards,
    suspensions: t.suspensions,
    overdueDays: t.overdueDays,
    departments: [...t.depts].sort(compare),
    cases: cases.slice(0, maxCases).map((c) => ({ kind: c.kind, caseId: c.caseId })),
    caseCount: cases.length,
  }
}
