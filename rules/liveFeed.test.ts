/**
 * The live path in virtual time: deliveries and ticks go through LiveFeed and the
 * driver exactly as rules/worker.ts sends them, with the store and the bus backlog
 * played by the test (the store answers as an observable, so a slow database is a few
 * frames of delay). One frame is one hour of platform time and one second of wall time.
 */
import { concatMap, map, merge, mergeMap, type Observable, of, take, tap, timer } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import type { CaseEvent, Kind, TimedEvent } from '../common/contract/index.ts'
import type { Logger } from '../common/log/index.ts'
import { defaultContext } from './context.ts'
import { RuleEngine, type Fire } from './engine.ts'
import { LiveFeed, type StoredCase } from './liveFeed.ts'

const HOUR = 3_600_000
// The worker restarts at 10:00; frame f is 10:00 + f hours.
const BASE = Date.parse('2026-11-23T10:00:00+08:00')
const ctx = defaultContext()
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

let seq = 0
function ev(kind: Kind, type: string, caseId: string, hour: number, attrs?: Record<string, unknown>): TimedEvent {
  const t = Date.parse('2026-11-23T00:00:00+08:00') + hour * HOUR
  const e: CaseEvent = { id: `${caseId}-${type}-${hour}`, source: 'hall', kind, type, caseId, dept: 'd', at: new Date(t).toISOString(), ...(attrs ? { attrs } : {}) }
  return { ev: e, t, seq: ++seq }
}
const task = (caseId: string, dueHour: number) =>
  ev('supervision', 'assigned', caseId, 1, { title: '任务', dueAt: new Date(Date.parse('2026-11-23T00:00:00+08:00') + dueHour * HOUR).toISOString() })

/** World is what the feed reads besides deliveries: the store of record and the bus. */
interface World {
  /** the cases open at the restart, which the worker reloads before it follows the bus */
  open?: StoredCase[]
  /** cases only in the store (closed, so not reloaded at the restart) */
  closed?: StoredCase[]
  /** frames the store takes to answer */
  storeDelay?: number
  /** events waiting on the stream at the restart: the deliveries that come first */
  backlog?: number
  settleMs?: number
}

/** name is how a test reads a card: rule, case and instant, with - when withdrawn. */
function name(f: Fire): string {
  return `${f.withdrawn ? '-' : ''}${f.alert.rule} ${f.alert.caseId} ${ctx.zone.format(f.t).slice(11, 16)}`
}

/**
 * live restarts a worker on `world`, then sends deliveries (a marble each) and a tick
 * on every frame through LiveFeed as rules/worker.ts does: one input at a time, in
 * order. It returns "frame card" per card that came out, and the store's lookups.
 */
function live(world: World, marbles: string, deliveries: Record<string, TimedEvent>, frames: number): { cards: string[]; lookups: string[] } {
  const cards: string[] = []
  const lookups: string[] = []
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b))
  ts.run(({ cold, flush }) => {
    const engine = new RuleEngine(ctx, { settleMs: world.settleMs ?? 0 })
    const key = (c: StoredCase) => `${c.events[0]!.ev.kind}:${c.events[0]!.ev.caseId}`
    const store = new Map([...(world.open ?? []), ...(world.closed ?? [])].map((c) => [key(c), c]))
    let applied = 0
    const feed = new LiveFeed(engine, {
      clock: { now: () => BASE + ts.now() * HOUR },
      wallClock: { now: () => ts.now() * 1000 },
      log: quiet,
      store: {
        stored: (kind, caseId) => {
          lookups.push(`${kind}:${caseId}`)
          const c = store.get(`${kind}:${caseId}`) ?? { events: [], fired: [] }
          return world.storeDelay ? cold(`${'-'.repeat(world.storeDelay)}(c|)`, { c }) : of(c)
        },
        backlog: () => of(Math.max(0, (world.backlog ?? 0) - applied)),
      },
    })
    for (const c of world.open ?? []) feed.restore(c)
    type Input = { type: 'event'; te: TimedEvent } | { type: 'tick' }
    const inputs$: Observable<Input> = merge(
      cold(marbles, deliveries).pipe(map((te): Input => ({ type: 'event', te }))),
      timer(0, 1).pipe(take(frames), map((): Input => ({ type: 'tick' }))),
    )
    inputs$
      .pipe(
        concatMap((input) => (input.type === 'event' ? feed.event(input.te).pipe(tap(() => applied++)) : feed.tick().pipe(map((f) => f ?? [])))),
        mergeMap((fires) => fires),
      )
      .subscribe((f) => cards.push(`${ts.now()} ${name(f)}`))
    flush()
  })
  return { cards, lookups }
}

const stored = (...events: TimedEvent[]): StoredCase => ({ events, fired: [] })

describe('the live feed after a restart', () => {
  it('fires the cards that came due while down only once the backlog is applied, with their true at', () => {
    const open = [
      stored(task('S-1', 3)), // came due at 03:00, while the worker was down
      stored(task('S-2', 4)), // completed at 02:00, in time, but that is in the backlog
      stored(task('S-3', 2)), // completed at 05:00, too late, in the backlog
      stored(task('S-4', 20)), // comes due at 20:00, frame 10
    ]
    const backlog = { a: ev('supervision', 'completed', 'S-2', 2), b: ev('supervision', 'completed', 'S-3', 5) }
    // Deliveries at frames 1 and 2; the ticks at frames 0 and 1 find a backlog, the one at 2 none.
    const { cards } = live({ open, backlog: 2 }, '-ab', backlog, 12)
    expect(cards).toEqual([
      '2 supervision.overdue S-3 02:00',
      '2 supervision.overdue S-1 03:00',
      '10 supervision.overdue S-4 20:00',
    ])
  })

  it('fires nothing at all while the backlog is not applied', () => {
    const { cards } = live({ open: [stored(task('S-1', 3))], backlog: 5 }, '-a', { a: ev('supervision', 'progress', 'S-1', 6, { percent: 50 }) }, 12)
    expect(cards).toEqual([])
  })
})

describe('the live feed for a case not in memory', () => {
  // A-9 closed long ago (so not reloaded at the restart): accepted with a fee standard of
  // 80, completed without a decision, which raised approval.out_of_order then.
  const a9 = {
    events: [ev('approval', 'accepted', 'A-9', 1, { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20, feeStandard: 80 }), ev('approval', 'completed', 'A-9', 2)],
    fired: [{ rule: 'approval.out_of_order', level: 'red', at: Date.parse('2026-11-23T02:00:00+08:00') }],
  }
  const deliveries = {
    f: ev('approval', 'fee', 'A-9', 11, { amount: 80 }), // the standard fee: no card, if the case is loaded first
    g: ev('approval', 'fee', 'A-10', 11, { amount: 80 }), // a case never seen: no accepted, so the standard is 0
    h: ev('approval', 'evaluated', 'A-9', 11, { score: 5 }),
  }

  it('loads the case with its cards before its new event joins it, and only once', () => {
    const { cards, lookups } = live({ closed: [a9], storeDelay: 3 }, '-fgh', deliveries, 12)
    // f waits for the store (frames 1–4), then g for its own lookup (4–7).
    expect(cards).toEqual(['7 approval.fee_mismatch A-10 11:00'])
    expect(lookups).toEqual(['approval:A-9', 'approval:A-10'])
  })
})

describe('the live feed and the settle delay', () => {
  // A backfill in two deliveries, one frame (one second of wall time, one hour of the
  // platform clock) apart: a task due three days ago, completed in time.
  const backfill = {
    a: ev('supervision', 'assigned', 'B-1', -100, { title: '任务', dueAt: '2026-11-20T00:00:00+08:00' }),
    c: ev('supervision', 'completed', 'B-1', -80),
  }

  it('holds the case\'s cards for RULES_SETTLE_MS of wall time, however fast the platform clock runs', () => {
    // B-2, due three days ago too, is never completed: its card waits out the delay, 2.5 s
    // of wall time from its delivery at frame 2, so the first tick after is at frame 5.
    const b2 = ev('supervision', 'assigned', 'B-2', -100, { title: '任务', dueAt: '2026-11-20T00:00:00+08:00' })
    expect(live({ settleMs: 2500 }, '-a(cb)', { ...backfill, b: b2 }, 8).cards).toEqual(['5 supervision.overdue B-2 00:00'])
  })

  it('without the delay raises, then withdraws, the card the second event disproves', () => {
    expect(live({ settleMs: 0 }, '-ac', backfill, 8).cards).toEqual(['1 supervision.overdue B-1 00:00', '2 -supervision.overdue B-1 00:00'])
  })
})
