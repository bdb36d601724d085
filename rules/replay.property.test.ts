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
import type { CaseEvent, TimedEvent } from '../common/contract/index.ts'
import { BASE, brokenLine, type Line, validEvent } from '../common/contract/testdata/eventArbitraries.ts'
import { defaultContext } from './context.ts'
import { type Fire, RuleEngine, sortFires } from './engine.ts'
import { inEventTime, LineParser, runSorted } from './replay.ts'

const ctx = defaultContext()
const DAY = 86_400_000
/** A step of the engine that takes longer than this is a loop, not work (the machine is shared and slow). */
const STEP_BOUND_MS = 1000

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
    expect(accepted).toBeGreaterThan(3 * rejected)
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
