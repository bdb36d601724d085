/**
 * A property test of what `jiancha replay` composes (bin/commands/replay.ts): the
 * validator at the line parser (LineParser → validateEvent), then the engine through
 * its one driver (inEventTime → runSorted). On random files of valid case histories
 * with broken events, bad JSON and repeated lines among them:
 *   - nothing valid is lost: every valid event is accepted, and the cards are exactly
 *     those the engine gives when fed the valid events alone, by hand;
 *   - nothing invalid is applied: every broken line is rejected, by its line number,
 *     naming the field that was broken, and no card has it among its causes;
 *   - a line sent twice changes nothing;
 *   - the engine stays bounded: each step returns quickly, however far `until` lies.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'
import { defaultContext } from './context.ts'
import { type Fire, RuleEngine, sortFires } from './engine.ts'
import { inEventTime, LineParser, runSorted } from './replay.ts'

const ctx = defaultContext()
const DAY = 86_400_000
/** Monday 2026-03-02 00:00 in Shanghai: histories run over the following 90 days. */
const BASE = Date.parse('2026-03-02T00:00:00+08:00')
const SPAN_MIN = 90 * 24 * 60
/** A step of the engine that takes longer than this is a loop, not work (the machine is shared and slow). */
const STEP_BOUND_MS = 1000

type Attrs = Record<string, unknown> | undefined
const shanghai = (t: number) => `${new Date(t + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`
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

/** validEvent is an event the contract accepts, of a few cases so that histories form; its id is set later. */
const validEvent: fc.Arbitrary<CaseEvent> = fc
  .record({ kindType: fc.constantFrom(...Object.keys(ATTRS)), minute: fc.integer({ min: 0, max: SPAN_MIN }), pick: fc.nat(), dept: fc.constantFrom('market', 'land') })
  .chain(({ kindType, minute, pick, dept }) => {
    const [kind, type] = kindType.split('.') as [Kind, string]
    const t = BASE + minute * 60_000
    const caseId = CASES[kind][pick % CASES[kind].length]!
    return ATTRS[kindType]!(t).map((attrs): CaseEvent => ({ id: '', source: 'hall', kind, type, caseId, dept, at: shanghai(t), ...(attrs ? { attrs } : {}) }))
  })

/** Break is one way to break a valid event, and the field the rejection must name. */
interface Break {
  field: string
  applies?: (ev: CaseEvent) => boolean
  apply: (ev: Record<string, unknown>) => void
}
const isType = (kt: string) => (ev: CaseEvent) => `${ev.kind}.${ev.type}` === kt
const BREAKS: Break[] = [
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

/** Line is one line of the file: a valid event, or a broken line and the field its rejection must name. */
type Line = { valid: CaseEvent } | { text: string; field: string }
const brokenLine: fc.Arbitrary<Line> = fc.oneof(
  { weight: 8, arbitrary: validEvent.chain((ev) => fc.constantFrom(...BREAKS.filter((b) => b.applies?.(ev) ?? true)).map((b): Line => {
    const x = structuredClone(ev) as unknown as Record<string, unknown>
    x.id = 'broken'
    b.apply(x)
    return { text: JSON.stringify(x), field: b.field }
  })) },
  { weight: 1, arbitrary: fc.constantFrom('{"id": "x",', 'not json', '{"kind": "approval"}}').map((text): Line => ({ text, field: '(line)' })) },
  { weight: 1, arbitrary: fc.constantFrom('[1]', '42', 'null', '"event"').map((text): Line => ({ text, field: '(event)' })) },
)
/** A file: mostly valid events, each with its own id, some broken lines among them, and how far past the last event replay runs. */
const file = fc.record({
  lines: fc.array(fc.oneof({ weight: 4, arbitrary: validEvent.map((valid): Line => ({ valid })) }, { weight: 1, arbitrary: brokenLine }), { maxLength: 80, size: 'medium' })
    .map((ls) => ls.map((l, i): Line => ('valid' in l ? { valid: { ...l.valid, id: `e${i}` } } : l))),
  untilDays: fc.integer({ min: 0, max: 400 }),
})

/** replayFile runs the text as `jiancha replay` does: the line parser, then the engine in event time. */
function replayFile(text: string, until: number) {
  const parser = new LineParser()
  parser.write(text)
  parser.end()
  const t0 = performance.now()
  const run = runSorted(inEventTime(parser.events, until), until, ctx)
  return { parser, fires: run.fires, ms: performance.now() - t0 }
}

/** byHand drives an engine of its own over the valid events alone, no JSON and no validator in between, timing each step. */
function byHand(events: readonly CaseEvent[], until: number): { fires: Fire[]; slowestMs: number } {
  const engine = new RuleEngine(ctx)
  const timed: TimedEvent[] = events.map((ev, seq) => ({ ev, t: Date.parse(ev.at), seq })).filter((x) => x.t <= until).sort((a, b) => a.t - b.t || a.seq - b.seq)
  const fires: Fire[] = []
  let slowestMs = 0
  const step = (fn: () => Fire[]) => {
    const t0 = performance.now()
    fires.push(...fn())
    slowestMs = Math.max(slowestMs, performance.now() - t0)
  }
  for (const te of timed) {
    step(() => engine.advance(te.t))
    step(() => engine.ingest(te))
  }
  step(() => engine.advance(until))
  return { fires: sortFires(fires), slowestMs }
}

const cardOf = (f: Fire) => `${f.alert.key} ${new Date(f.t).toISOString()} ${f.alert.dept} ${f.withdrawn ? `withdrawn by ${f.withdrawn.by}` : `causes ${f.alert.causes.join(',')}`}`
const untilOf = (lines: Line[], days: number) => Math.max(BASE, ...lines.flatMap((l) => ('valid' in l ? [Date.parse(l.valid.at)] : []))) + days * DAY

describe('replay, validator and engine together (property)', () => {
  it('accepts every valid event and gives its cards, rejects every broken line by name, and stays bounded', () => {
    let cards = 0
    let rejected = 0
    let accepted = 0
    fc.assert(
      fc.property(file, ({ lines, untilDays }) => {
        const until = untilOf(lines, untilDays)
        const { parser, fires, ms } = replayFile(lines.map((l) => ('valid' in l ? JSON.stringify(l.valid) : l.text)).join('\n'), until)
        const valid = lines.flatMap((l) => ('valid' in l ? [l.valid] : []))
        // Nothing valid lost: every valid event accepted, as it was sent, in its place.
        expect(parser.events.map((te) => te.ev)).toEqual(valid)
        expect(parser.events.map((te) => te.seq)).toEqual(lines.flatMap((l, i) => ('valid' in l ? [i + 1] : [])))
        // Nothing invalid passes: each broken line rejected, by number, naming what is wrong.
        const expected = lines.flatMap((l, i) => ('valid' in l ? [] : [{ line: i + 1, field: l.field }]))
        expect(parser.errors.map((e) => ({ line: e.line, field: e.field }))).toEqual(expected)
        for (const e of parser.errors) expect(e.message.length).toBeGreaterThan(2)
        // The cards are the engine's on the valid events alone, and cite only valid events.
        const ref = byHand(valid, until)
        expect(fires.map(cardOf)).toEqual(ref.fires.map(cardOf))
        const ids = new Set(valid.map((ev) => ev.id))
        for (const f of fires) for (const c of f.alert.causes) expect(ids.has(c), c).toBe(true)
        // Bounded: no step near a loop, and the whole run linear in the events.
        expect(ref.slowestMs).toBeLessThan(STEP_BOUND_MS)
        expect(ms).toBeLessThan(STEP_BOUND_MS + 20 * lines.length)
        cards += fires.length
        rejected += expected.length
        accepted += valid.length
      }),
      { numRuns: 300 },
    )
    // The histories do raise cards, and the breaks are met: the property is not vacuous.
    expect(cards).toBeGreaterThan(1000)
    expect(rejected).toBeGreaterThan(1000)
    expect(accepted).toBeGreaterThan(4 * rejected)
  })

  it('gives the same cards when valid lines come twice', () => {
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 20 }), ({ lines, untilDays }, again) => {
        const until = untilOf(lines, untilDays)
        const valid = lines.flatMap((l) => ('valid' in l ? [l.valid] : []))
        const text = (evs: CaseEvent[]) => evs.map((ev) => JSON.stringify(ev)).join('\n')
        const once = replayFile(text(valid), until)
        const repeated = valid.length ? again.map((i) => valid[i % valid.length]!) : []
        const twice = replayFile(text([...valid, ...repeated]), until)
        expect(twice.fires.map(cardOf)).toEqual(once.fires.map(cardOf))
      }),
      { numRuns: 150 },
    )
  })
})
