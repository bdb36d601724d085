/**
 * replay runs the rules over a file of events in event time on a virtual clock that
 * ends at `until` (contract §5). It reads everything first, so it sees no lateness.
 */
import type { ReplayLine } from '../common/contract/alert.ts'
import type { TimedEvent } from '../common/contract/event.ts'
import { validateEvent } from '../common/contract/validate.ts'
import type { RuleContext } from './candidate.ts'
import { RuleEngine, sortFires, type Fire } from './engine.ts'

/** LineError is one input line that is not a valid event. */
export interface LineError {
  line: number
  field: string
  message: string
}

/** ReplayResult is the alerts in print order, the rejected lines and engine figures. */
export interface ReplayResult {
  alerts: ReplayLine[]
  errors: LineError[]
  events: number
  casesHeld: number
}

/** LineParser turns JSON Lines into timed events one line at a time; blank lines are skipped, bad ones reported. */
export class LineParser {
  readonly events: TimedEvent[] = []
  readonly errors: LineError[] = []
  private n = 0

  /** push parses the next line. */
  push(raw: string): void {
    const n = ++this.n
    const text = raw.trim()
    if (!text) return
    let obj: unknown
    try {
      obj = JSON.parse(text)
    } catch (e) {
      this.errors.push({ line: n, field: '(line)', message: `not JSON: ${(e as Error).message}` })
      return
    }
    const v = validateEvent(obj)
    if (!v.ok) this.errors.push({ line: n, field: v.field, message: v.message })
    else this.events.push({ ev: v.event, t: Date.parse(v.event.at), seq: n })
  }
}

/** parseLines turns JSON Lines into timed events; blank lines are skipped, bad ones reported. */
export function parseLines(lines: Iterable<string>): { events: TimedEvent[]; errors: LineError[] } {
  const p = new LineParser()
  for (const raw of lines) p.push(raw)
  return { events: p.events, errors: p.errors }
}

/** replayEvents runs the engine over events up to `until` and returns the fired cards in print order. */
export function replayEvents(events: TimedEvent[], until: number, ctx: RuleContext): { fires: Fire[]; casesHeld: number } {
  const sorted = events.filter((e) => e.t <= until).sort((a, b) => a.t - b.t || a.seq - b.seq)
  const engine = new RuleEngine(ctx)
  const fires: Fire[] = []
  for (const te of sorted) {
    for (const f of engine.advance(te.t)) fires.push(f)
    for (const f of engine.ingest(te)) fires.push(f)
  }
  for (const f of engine.advance(until)) fires.push(f)
  return { fires: sortFires(fires), casesHeld: engine.caseCount }
}

/** replay is parseLines + replayEvents, giving the printable lines. */
export function replay(lines: Iterable<string>, until: number, ctx: RuleContext): ReplayResult {
  const { events, errors } = parseLines(lines)
  const { fires, casesHeld } = replayEvents(events, until, ctx)
  return { alerts: fires.map((f) => toLine(f, ctx)), errors, events: events.length, casesHeld }
}

/** toLine keeps exactly the fields of contract §5, in its order. */
export function toLine(f: Fire, ctx: RuleContext): ReplayLine {
  const a = f.alert
  return { rule: a.rule, level: a.level, caseId: a.caseId, dept: a.dept, at: ctx.zone.format(f.t) }
}
