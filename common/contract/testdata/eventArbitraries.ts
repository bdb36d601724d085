/**
 * fast-check arbitraries of contract events for property tests: valid events of a few
 * cases of each kind (so that histories form and the rules fire), and broken ones,
 * each broken in one known way with the field its rejection must name.
 */
import fc from 'fast-check'
import type { CaseEvent, Kind } from '../event.ts'

/** BASE is Monday 2026-03-02 00:00 in Shanghai: the events fall in the SPAN_MIN minutes after it. */
export const BASE = Date.parse('2026-03-02T00:00:00+08:00')
/** SPAN_MIN is the span of the events' instants, in minutes (90 days). */
export const SPAN_MIN = 90 * 24 * 60

type Attrs = Record<string, unknown> | undefined
/** shanghai writes an instant in RFC 3339 at +08:00. */
export const shanghai = (t: number) => `${new Date(t + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`
const none = fc.constant<Attrs>(undefined)

/** ATTRS gives, for each kind.type, attributes the contract accepts (at: the event's instant). */
const ATTRS: Record<string, (at: number) => fc.Arbitrary<Attrs>> = {
  'approval.submitted': () => fc.constant({ itemCode: 'MKT-1' }),
  'approval.accepted': () =>
    fc.record({ promised: fc.integer({ min: 1, max: 20 }), more: fc.integer({ min: 0, max: 20 }), dayType: fc.option(fc.constantFrom('working', 'calendar'), { nil: undefined }) })
      .map(({ promised, more, dayType }) => ({ itemCode: 'MKT-1', itemName: '食品经营许可', promisedDays: promised, legalDays: promised + more, ...(dayType ? { dayType } : {}) })),
  'approval.rejected': () => fc.option(fc.constant({ reason: '材料不全' }), { nil: undefined }),
  'approval.suspended': () => fc.constantFrom('correction', 'expert_review', 'hearing', 'inspection', 'other').map((reason) => ({ reason })),
  'approval.resumed': () => none,
  'approval.decided': () => fc.constantFrom('approve', 'deny').map((decision) => ({ decision })),
  'approval.completed': () => none,
  'approval.fee': () => fc.integer({ min: 0, max: 5000 }).map((amount) => ({ amount })),
  'approval.evaluated': () => fc.integer({ min: 1, max: 5 }).map((score) => ({ score })),
  'approval.withdrawn': () => none,
  'enforcement.filed': () => fc.option(fc.integer({ min: 1, max: 90 }).map((limitDays) => ({ limitDays })), { nil: undefined }),
  'enforcement.penalty': () =>
    fc.record({ min: fc.integer({ min: 0, max: 1000 }), width: fc.integer({ min: 0, max: 1000 }), amount: fc.integer({ min: 0, max: 3000 }) })
      .map(({ min, width, amount }) => ({ amount, min, max: min + width })),
  'enforcement.concluded': () => none,
  'petition.registered': () => fc.constantFrom('p0', 'p1', 'p2').map((petitionerId) => ({ petitionerId, subject: '噪音扰民' })),
  'petition.accepted': () => none,
  'petition.extended': () => fc.integer({ min: 1, max: 30 }).map((days) => ({ days })),
  'petition.replied': () => none,
  'petition.evaluated': () => fc.boolean().map((satisfied) => ({ satisfied })),
  'supervision.assigned': (at) => fc.integer({ min: 0, max: 40 * 24 }).map((h) => ({ title: '专项督办', dueAt: shanghai(at + h * 3_600_000) })),
  'supervision.progress': () => fc.integer({ min: 0, max: 100 }).map((percent) => ({ percent })),
  'supervision.completed': () => none,
}
const CASES: Record<Kind, string[]> = { approval: ['A-0', 'A-1', 'A-2', 'A-3'], enforcement: ['E-0', 'E-1'], petition: ['P-0', 'P-1', 'P-2'], supervision: ['S-0', 'S-1'] }

/** validEvent is an event the contract accepts, from source `hall`, of a few cases so that histories form; its id is '' (the caller gives each its own). */
export const validEvent: fc.Arbitrary<CaseEvent> = fc
  .record({ kindType: fc.constantFrom(...Object.keys(ATTRS)), minute: fc.integer({ min: 0, max: SPAN_MIN }), pick: fc.nat(), dept: fc.constantFrom('market', 'land') })
  .chain(({ kindType, minute, pick, dept }) => {
    const [kind, type] = kindType.split('.') as [Kind, string]
    const t = BASE + minute * 60_000
    const caseId = CASES[kind][pick % CASES[kind].length]!
    return ATTRS[kindType]!(t).map((attrs): CaseEvent => ({ id: '', source: 'hall', kind, type, caseId, dept, at: shanghai(t), ...(attrs ? { attrs } : {}) }))
  })

/** Break is one way to break a valid event (in place), and the field the rejection must name. */
export interface Break {
  field: string
  applies?: (ev: CaseEvent) => boolean
  apply: (ev: Record<string, unknown>) => void
}
const isType = (kt: string) => (ev: CaseEvent) => `${ev.kind}.${ev.type}` === kt
export const BREAKS: Break[] = [
  ...['id', 'source', 'kind', 'type', 'caseId', 'dept', 'at'].map((f): Break => ({ field: f, apply: (ev) => delete ev[f] })),
  { field: 'kind', apply: (ev) => (ev.kind = 'tax') },
  { field: 'type', apply: (ev) => (ev.type = 'exploded') },
  { field: 'at', apply: (ev) => (ev.at = 'yesterday') },
  { field: 'at', apply: (ev) => (ev.at = String(ev.at).slice(0, 19)) }, // no offset
  { field: 'at', apply: (ev) => (ev.at = `1999${String(ev.at).slice(4)}`) }, // outside the contract's years
  { field: 'dept', apply: (ev) => (ev.dept = 'a dept') },
  { field: 'source', apply: (ev) => (ev.source = '') },
  { field: 'id', apply: (ev) => (ev.id = 'e\u0000') },
  { field: 'caseId', apply: (ev) => (ev.caseId = 7) },
  { field: 'actor', apply: (ev) => (ev.actor = 'x'.repeat(101)) },
  { field: 'attrs', apply: (ev) => (ev.attrs = 'text') },
  { field: 'attrs.promisedDays', applies: isType('approval.accepted'), apply: (ev) => ((ev.attrs as Record<string, unknown>).promisedDays = 0) },
  { field: 'attrs.legalDays', applies: isType('approval.accepted'), apply: (ev) => { const a = ev.attrs as { promisedDays: number; legalDays: number }; a.promisedDays = 5; a.legalDays = 4 } },
  { field: 'attrs.itemCode', applies: isType('approval.accepted'), apply: (ev) => delete (ev.attrs as Record<string, unknown>).itemCode },
  { field: 'attrs.max', applies: isType('enforcement.penalty'), apply: (ev) => { const a = ev.attrs as { min: number; max: number }; a.min = 10; a.max = 9 } },
  { field: 'attrs.dueAt', applies: isType('supervision.assigned'), apply: (ev) => ((ev.attrs as Record<string, unknown>).dueAt = '2026-03-40T00:00:00+08:00') },
  { field: 'attrs.days', applies: isType('petition.extended'), apply: (ev) => ((ev.attrs as Record<string, unknown>).days = 31) },
  { field: 'attrs.percent', applies: isType('supervision.progress'), apply: (ev) => ((ev.attrs as Record<string, unknown>).percent = 101) },
  { field: 'attrs.decision', applies: isType('approval.decided'), apply: (ev) => ((ev.attrs as Record<string, unknown>).decision = 'maybe') },
]

/**
 * Line is one line of a file of events: a valid event, or a broken line and the field
 * its rejection must name ('(line)' for text that is not JSON, '(event)' for JSON that
 * is not an object).
 */
export type Line = { valid: CaseEvent } | { text: string; field: string }
export const brokenLine: fc.Arbitrary<Line> = fc.oneof(
  { weight: 8, arbitrary: validEvent.chain((ev) => fc.constantFrom(...BREAKS.filter((b) => b.applies?.(ev) ?? true)).map((b): Line => {
    const x = structuredClone(ev) as unknown as Record<string, unknown>
    x.id = 'broken'
    b.apply(x)
    return { text: JSON.stringify(x), field: b.field }
  })) },
  { weight: 1, arbitrary: fc.constantFrom('{"id": "x",', 'not json', '{"kind": "approval"}}').map((text): Line => ({ text, field: '(line)' })) },
  { weight: 1, arbitrary: fc.constantFrom('[1]', '42', 'null', '"event"').map((text): Line => ({ text, field: '(event)' })) },
)
