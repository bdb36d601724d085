/**
 * Every built-in rule test (rules/tests/*.yaml) again, this time through the driver
 * as a stream in virtual time: events enter as a cold observable at their frame, an
 * hourly clock ticks, and each card must come out at the first tick at or after its
 * instant. (rules/liveFeed.test.ts runs the live worker's own steps the same way.)
 */
import { readFileSync, readdirSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { map, take, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { type TimedEvent, validateEvent } from '../../common/contract/index.ts'
import { defaultContext } from '../context.ts'
import { RuleEngine } from '../engine.ts'
import { driveSteps, stepsOf } from '../driver.ts'
import { loadRulesFile } from '../rulesFile.ts'
import { parseTestFile, type RuleTest } from '../ruleTest.ts'

const HOUR = 3_600_000
const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
const cases = files.flatMap((name) =>
  parseTestFile(readFileSync(join(dir, name), 'utf8'), name, (ref) => loadRulesFile(isAbsolute(ref) ? ref : join(dir, ref))).tests.map(
    (t) => [`${name} › ${t.name}`, t] as const,
  ),
)

/** run drives one test through the driver and returns "frame rule caseId" per card. */
function run(test: RuleTest): { got: string[]; want: string[] } {
  const ctx = defaultContext({ settings: test.settings })
  const events: TimedEvent[] = test.events.map((raw, i) => {
    const v = validateEvent(raw)
    if (!v.ok) throw new Error(`events[${i}].${v.field}: ${v.message}`)
    return { ev: v.event, t: Date.parse(v.event.at), seq: i }
  })
  // Frame 0 is the hour before the earliest event; one frame is one hour.
  const base = Math.floor(Math.min(...events.map((e) => e.t)) / HOUR) * HOUR - HOUR
  const frameOf = (t: number) => Math.ceil((t - base) / HOUR)
  const last = frameOf(test.until)
  const got: string[] = []
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, flush }) => {
    // Events arrive in event-time order, each at its own frame (contract: order by `at`).
    const sorted = [...events].sort((a, b) => a.t - b.t || a.seq - b.seq)
    const marbles: string[] = []
    const values: Record<string, TimedEvent> = {}
    let frame = 0
    sorted.forEach((e, i) => {
      const f = Math.max(frame, frameOf(e.t) - 1)
      const name = String.fromCharCode(0x4e00 + i) // one marble character per event
      marbles.push(`${f - frame}ms ${name}`)
      values[name] = e
      frame = f + 1
    })
    const events$ = cold(marbles.join(' '), values)
    // The clock stops at `until`, as replay's virtual clock does.
    const ticks$ = timer(0, 1).pipe(take(last + 1), map((i) => Math.min(base + i * HOUR, test.until)))
    driveSteps(new RuleEngine(ctx), stepsOf(events$, ticks$)).subscribe((f) => got.push(`${frameOf(f.t)} ${f.alert.rule} ${f.alert.caseId}`))
    flush()
  })
  const want = test.expect.map((e) => `${frameOf(e.at)} ${e.rule} ${e.caseId}`)
  return { got: got.sort(), want: want.sort() }
}

describe('every rule in virtual time through the driver', () => {
  it.each(cases)('%s', (_, test) => {
    const { got, want } = run(test)
    expect(got).toEqual(want)
  })
})
