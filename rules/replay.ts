/**
 * replay runs the rules over a file of events in event time on a virtual clock that
 * ends at `until` (contract §5), through the driver (driver.ts, replaySteps). It reads
 * everything first, so it sees no lateness.
 */
import { isUtf8 } from 'node:buffer'
import { StringDecoder } from 'node:string_decoder'
import { type ReplayLine, type TimedEvent, validateEvent } from '../common/contract/index.ts'
import type { RuleContext } from './candidate.ts'
import { driveReplay } from './driver.ts'
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

/**
 * Utf8Text decodes a stream of bytes into text exactly as StringDecoder does (which
 * readline used), three times quicker: while the bytes are valid UTF-8, with a
 * TextDecoder; from the first invalid byte on, with a StringDecoder, which then takes
 * over in the state it would have had all along, so its replacement characters are
 * the same. A character split between pieces is held back until it is whole.
 */
export class Utf8Text {
  private readonly quick = new TextDecoder('utf-8', { ignoreBOM: true })
  private slow: StringDecoder | null = null
  /** the start of a character whose end has not arrived yet */
  private held: Uint8Array = new Uint8Array(0)

  /** decode returns the text of the next piece of bytes. */
  decode(piece: Uint8Array): string {
    if (this.slow) return this.slow.write(piece as Buffer)
    const bytes = this.held.length ? Buffer.concat([this.held, piece]) : piece
    const whole = bytes.length - heldBack(bytes)
    if (isUtf8(bytes.subarray(0, whole))) {
      this.held = Uint8Array.prototype.slice.call(bytes, whole) // a copy: the reader may reuse its buffer
      return this.quick.decode(bytes.subarray(0, whole))
    }
    // StringDecoder would hold exactly `held` now: give it that, then this piece.
    this.slow = new StringDecoder('utf8')
    return this.slow.write(Buffer.from(this.held)) + this.slow.write(piece as Buffer)
  }
}

/**
 * heldBack is how many bytes at the end of a piece StringDecoder keeps back as the
 * start of an unfinished character: it reads only the top bits of the last bytes.
 */
function heldBack(bytes: Uint8Array): number {
  for (let n = 1; n <= Math.min(4, bytes.length); n++) {
    const b = bytes[bytes.length - n]!
    if ((b & 0xc0) === 0x80) {
      if (n === 4 || n === bytes.length) return 0 // four trailing bytes, or no lead byte: nothing to wait for
      continue
    }
    const size = (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0
    return size > n ? n : 0
  }
  return 0
}

/** Line breaks as readline knows them: \n, \r\n, and a lone \r. */
const LINE_END = /\r?\n|\r(?!\n)/g

/**
 * LineParser turns JSON Lines into timed events as text arrives, piece by piece or a
 * line at a time; blank lines are skipped, bad ones reported with their number.
 */
export class LineParser {
  readonly events: TimedEvent[] = []
  readonly errors: LineError[] = []
  private n = 0
  /** the start of a line whose end has not arrived yet */
  private rest = ''
  /** the last piece ended with \r: a \n that starts the next one belongs to it */
  private sawCR = false

  /**
   * write takes the next piece of text; a line may span pieces. It splits lines where
   * readline did, which replay used before at the cost of an event per line: at the
   * same breaks, with the same handling of a \r\n split between pieces.
   */
  write(piece: string): void {
    let text = piece
    if (this.sawCR) {
      if (text.charCodeAt(0) === 10) text = text.slice(1)
      this.sawCR = false
    }
    const cr = text.indexOf('\r') !== -1
    if (!cr && text.indexOf('\n') === -1) {
      this.rest += text
      return
    }
    if (this.rest) text = this.rest + text
    this.sawCR = cr && text.endsWith('\r')
    let from = 0
    if (!cr) {
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        this.push(text.slice(from, nl))
        from = nl + 1
      }
    } else {
      LINE_END.lastIndex = 0
      for (let m = LINE_END.exec(text); m; m = LINE_END.exec(text)) {
        this.push(text.slice(from, m.index))
        from = LINE_END.lastIndex
      }
    }
    this.rest = text.slice(from)
  }

  /** end parses the last line when the text does not end with a line break. */
  end(): void {
    if (this.rest.length > 0) this.push(this.rest)
    this.rest = ''
  }

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
    else this.events.push({ ev: v.event, t: v.t, seq: n })
  }
}

/** parseLines turns JSON Lines into timed events; blank lines are skipped, bad ones reported. */
export function parseLines(lines: Iterable<string>): { events: TimedEvent[]; errors: LineError[] } {
  const p = new LineParser()
  for (const raw of lines) p.push(raw)
  return { events: p.events, errors: p.errors }
}

/** ReplayRun is what the engine did over a replay: the fired cards in print order and what it holds at the end. */
export interface ReplayRun {
  fires: Fire[]
  casesHeld: number
  eventsHeld: number
}

/** replayEvents runs the engine over events up to `until` and returns the fired cards in print order. */
export function replayEvents(events: TimedEvent[], until: number, ctx: RuleContext): ReplayRun {
  return runSorted(inEventTime(events, until), until, ctx)
}

/** inEventTime keeps the events up to `until`, in the order the engine takes them: by `at`, then arrival. */
export function inEventTime(events: readonly TimedEvent[], until: number): TimedEvent[] {
  const kept = events.filter((e) => e.t <= until)
  return radixByInstant(kept) ?? kept.sort((a, b) => a.t - b.t || a.seq - b.seq)
}

const DIGIT = 65_536

/**
 * radixByInstant sorts events given in arrival order by instant, which keeps arrival
 * order among equal instants: a stable radix sort of the instants, 16 bits at a time.
 * A comparison sort of a million events reads two scattered objects per comparison
 * and costs about a second; this costs a tenth of that. It returns null when it does
 * not apply: few events, events not in arrival order, or instants that are not whole
 * milliseconds less than 2^48 ms apart.
 */
function radixByInstant(events: readonly TimedEvent[]): TimedEvent[] | null {
  const n = events.length
  if (n < 1024) return null
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const e = events[i]!
    if (!Number.isInteger(e.t) || (i > 0 && !(events[i - 1]!.seq < e.seq))) return null
    if (e.t < min) min = e.t
    if (e.t > max) max = e.t
  }
  const span = max - min
  if (span >= DIGIT ** 3) return null
  // Each instant as its distance from the earliest, in three 16-bit digits, least significant first.
  const digits = [new Uint16Array(n), new Uint16Array(n), new Uint16Array(n)] as const
  for (let i = 0; i < n; i++) {
    const k = events[i]!.t - min
    const hi = Math.floor(k / DIGIT ** 2)
    const lo = k - hi * DIGIT ** 2
    digits[0][i] = lo & 0xffff
    digits[1][i] = lo >>> 16
    digits[2][i] = hi
  }
  let order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  let next = new Uint32Array(n)
  for (let p = 0; p < 3 && span >= DIGIT ** p; p++) {
    stablePass(digits[p], order, next)
    ;[order, next] = [next, order]
  }
  const sorted = new Array<TimedEvent>(n)
  for (let i = 0; i < n; i++) sorted[i] = events[order[i]!]!
  return sorted
}

/** stablePass writes into `next` the indices of `order` sorted by their digit, equal digits keeping their order. */
function stablePass(digit: Uint16Array, order: Uint32Array, next: Uint32Array): void {
  const start = new Uint32Array(DIGIT + 1)
  for (let i = 0; i < digit.length; i++) start[digit[i]! + 1]!++
  for (let d = 1; d <= DIGIT; d++) start[d]! += start[d - 1]!
  for (let i = 0; i < order.length; i++) {
    const j = order[i]!
    next[start[digit[j]!]!++] = j
  }
}

/** runSorted runs the engine over events already in event time (see inEventTime), its clock ending at `until`. */
export function runSorted(sorted: readonly TimedEvent[], until: number, ctx: RuleContext): ReplayRun {
  const engine = new RuleEngine(ctx)
  const fires = driveReplay(engine, sorted, until)
  return { fires: sortFires(fires), casesHeld: engine.caseCount, eventsHeld: engine.eventCount() }
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
