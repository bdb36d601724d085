/**
 * Test helpers of kpi: case events built tersely, as timed events or as JSON lines, and
 * cases stored as the kpi worker stores them (for other components' tests of the reads).
 */
import fc from 'fast-check'
import { type CaseEvent, type Kind, type TimedEvent, validateEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { defaultContext, type RuleContext } from '../rules/index.ts'
import type { KpiCard } from './cards.ts'
import { caseFacts } from './caseFacts.ts'
import { addFacts, type CaseDelta, refreshRollups } from './factStore.ts'
import { revisionHook } from './freezer.ts'
import type { Registry } from './queries.ts'
import type { Scheme } from './scheme.ts'

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

/** TestCase is a new case as the kpi worker sees it: its events and the cards of it that stand. */
export interface TestCase {
  events: readonly CaseEvent[]
  cards?: readonly KpiCard[]
}

/**
 * storeCases stores the facts of new cases as the kpi worker does (caseFacts, then
 * addFacts with the revisions of frozen periods noted in the same transaction), then
 * refreshes the rollups over their span, as the worker does on its schedule.
 */
export async function storeCases(db: Db, cases: readonly TestCase[], now: number, o: { scheme: Scheme; registry?: Registry; ctx?: RuleContext }): Promise<void> {
  const c = o.ctx ?? ctx
  const deltas: CaseDelta[] = cases.flatMap(({ events, cards }) =>
    caseFacts(timed(events), cards ?? [], c).map((f) => ({ ...f, delta: 1, kind: events[0]!.kind, caseId: events[0]!.caseId })),
  )
  if (!deltas.length) return
  await db.transaction(async (tx) => {
    await addFacts(tx, deltas, { timescale: db.timescale, zone: c.zone.name }, now)
    await revisionHook({ scheme: o.scheme, zone: c.zone, registry: o.registry })(tx, deltas, now)
  })
  const ts = deltas.map((d) => d.t)
  await refreshRollups(db, Math.min(...ts), Math.max(...ts) + 1, c.zone)
}

// ---- random valid event sets of the contract's shapes, for property tests ----

const ctx = defaultContext()
export const GEN_DEPTS = ['health', 'market', 'tax']
export const GEN_START = Date.parse('2026-06-01T00:00:00+08:00')
const HOUR = 3_600_000

/** attrsOf gives the attributes a type needs, from a few random numbers. */
function attrsOf(kind: Kind, type: string, r: number, t: number): Record<string, unknown> | undefined {
  const pick = <T>(xs: readonly T[]) => xs[r % xs.length]!
  switch (`${kind}.${type}`) {
    case 'approval.submitted': return { itemCode: 'MKT-001' }
    case 'approval.accepted': return { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 1 + (r % 8), legalDays: 20, dayType: pick(['working', 'working', 'calendar']) }
    case 'approval.rejected': return { reason: pick(['', '材料不全']) }
    case 'approval.suspended': return { reason: 'correction' }
    case 'approval.decided': return { decision: pick(['approve', 'deny']) }
    case 'approval.fee': return { amount: pick([0, 80]) }
    case 'approval.evaluated': return { score: 1 + (r % 5) }
    case 'enforcement.filed': return r % 3 === 0 ? undefined : { limitDays: 5 + (r % 40) }
    case 'enforcement.penalty': return { amount: 1000 * (r % 30), min: 2000, max: 20000 }
    case 'petition.registered': return { petitionerId: pick(['p-1', 'p-2', 'p-3', 'p-4']), subject: '拖欠工资' }
    case 'petition.extended': return { days: 1 + (r % 30) }
    case 'petition.evaluated': return { satisfied: r % 2 === 0 }
    case 'supervision.assigned': return { title: '老旧小区改造', dueAt: new Date(t + (1 + (r % 30)) * 24 * HOUR).toISOString() }
    case 'supervision.progress': return { percent: r % 101 }
    default: return undefined
  }
}

const TYPES: Record<Kind, readonly string[]> = {
  approval: ['submitted', 'accepted', 'accepted', 'suspended', 'resumed', 'decided', 'completed', 'completed', 'fee', 'evaluated', 'withdrawn', 'rejected'],
  enforcement: ['filed', 'filed', 'penalty', 'concluded'],
  petition: ['registered', 'registered', 'accepted', 'extended', 'replied', 'evaluated'],
  supervision: ['assigned', 'assigned', 'progress', 'completed'],
}

const eventArb = fc.record({ type: fc.nat(), hours: fc.integer({ min: 0, max: 24 * 40 }), minute: fc.integer({ min: 0, max: 59 }), r: fc.nat(), utc: fc.boolean() })
/** caseArb generates one case of random events of the contract's shapes. */
export const caseArb = fc.record({
  kind: fc.constantFrom<Kind>('approval', 'enforcement', 'petition', 'supervision'),
  dept: fc.constantFrom(...GEN_DEPTS),
  startDay: fc.integer({ min: 0, max: 200 }),
  events: fc.array(eventArb, { minLength: 1, maxLength: 6 }),
})

export type GeneratedCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never

/** linesOf turns generated cases into valid JSON lines, every instant distinct, some written in UTC. */
export function linesOf(cases: ReadonlyArray<GeneratedCase>): string[] {
  const used = new Set<number>()
  const out: string[] = []
  cases.forEach((c, i) => {
    c.events.forEach((e, j) => {
      let t = GEN_START + c.startDay * 24 * HOUR + e.hours * HOUR + e.minute * 60_000
      while (used.has(t)) t += 1000
      used.add(t)
      const type = TYPES[c.kind][e.type % TYPES[c.kind].length]!
      const at = e.utc ? new Date(t).toISOString().replace('.000Z', 'Z') : ctx.zone.format(t)
      const ev = caseEvent(c.kind, type, `${c.kind[0]!.toUpperCase()}-${i}`, at, attrsOf(c.kind, type, e.r, t), { dept: c.dept, id: `e${i}-${j}` })
      const v = validateEvent(ev)
      if (!v.ok) throw new Error(`generated an invalid event: ${v.field}: ${v.message} in ${JSON.stringify(ev)}`)
      out.push(JSON.stringify(ev))
    })
  })
  return out
}

/** shuffle is a seeded Fisher–Yates shuffle. */
export function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs]
  let s = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

