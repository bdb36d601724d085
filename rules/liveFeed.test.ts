/**
 * The live path in virtual time: batches and ticks go through LiveFeed and the driver
 * exactly as rules/worker.ts sends them, with the store and the consumer's position
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
import { caseRefKey } from './eventStore.ts'
import { type Arrival, LiveFeed, type StoredCase } from './liveFeed.ts'

const HOUR = 3_600_000
// The worker restarts at 10:00; frame f is 10:00 + f hours.
const BASE = Date.parse('2026-11-23T10:00:00+08:00')
const MIDNIGHT = Date.parse('2026-11-23T00:00:00+08:00')
const ctx = defaultContext()
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

let seq = 0
function ev(kind: Kind, type: string, caseId: string, hour: number, attrs?: Record<string, unknown>): TimedEvent {
  const t = MIDNIGHT + hour * HOUR
  const e: CaseEvent = { id: `${caseId}-${type}-${hour}`, source: 'hall', kind, type, caseId, dept: 'd', at: new Date(t).toISOString(), ...(attrs ? { attrs } : {}) }
  return { ev: e, t, seq: ++seq }
}
const task = (caseId: string, dueHour: number) => ev('supervision', 'assigned', caseId, 1, { title: '任务', dueAt: new Date(MIDNIGHT + dueHour * HOUR).toISOString() })

/** Delivery is one message as the test hands it over: the event, its bus time (hour of 11-23) and how many wait behind it. */
interface Delivery {
  te: TimedEvent
  /** bus time, hours after 11-23 00:00; the platform clock at delivery when not given */
  rx?: number
  /** messages waiting behind it; 0 when not given */
  behind?: number
}

/** World is what the feed reads besides deliveries: the store of record and the consumer's position. */
interface World {
  /** the cases open at the restart, which the worker reloads before it follows the bus */
  open?: StoredCase[]
  /** cases only in the store (closed, so not reloaded at the restart) */
  closed?: StoredCase[]
  /** frames the store takes to answer */
  storeDelay?: number
  /** messages waiting on the stream at the restart, not delivered yet */
  waiting?: number
  /** a message an earlier run left unacked: its bus time (hour), until the delivery with that key is applied */
  orphan?: { rx: number; until: string }
  /** the oldest message the bus holds delivered and unacked (nak'ed after a failure): its seq and bus time, until the delivery with that key is applied */
  unacked?: { seq: number; rx: number; until: string }
  settleMs?: number
}

/** name is how a test reads a card: rule, case and instant, with - when withdrawn. */
function name(f: Fire): string {
  return `${f.withdrawn ? '-' : ''}${f.alert.rule} ${f.alert.caseId} ${ctx.zone.format(f.t).slice(5, 16)}`
}

/**
 * live restarts a worker on `world`, then sends batches (a marble each: one delivery,
 * or an array of them) and a tick on every frame through LiveFeed as rules/worker.ts
 * does: one input at a time, in order. It returns "frame card" per card that came
 * out, and the store's lookups.
 */
function live(world: World, marbles: string, deliveries: Record<string, Delivery | Delivery[]>, frames: number): { cards: string[]; lookups: string[] } {
  const cards: string[] = []
  const lookups: string[] = []
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b))
  ts.run(({ cold, flush }) => {
    const engine = new RuleEngine(ctx, { settleMs: world.settleMs ?? 0 })
    const key = (c: StoredCase) => caseRefKey(c.events[0]!.ev.kind, c.events[0]!.ev.caseId)
    const store = new Map([...(world.open ?? []), ...(world.closed ?? [])].map((c) => [key(c), c]))
    const delay = <T>(v: T): Observable<T> => (world.storeDelay ? cold(`${'-'.repeat(world.storeDelay)}(v|)`, { v }) : of(v))
    let applied = 0
    const appliedKeys = new Set<string>()
    const feed = new LiveFeed(engine, {
      clock: { now: () => BASE + ts.now() * HOUR },
      wallClock: { now: () => ts.now() * 1000 },
      log: quiet,
      store: {
        stored: (cases) => {
          lookups.push(cases.map((c) => caseRefKey(c.kind, c.caseId)).join(','))
          return delay(new Map(cases.flatMap((c) => (store.has(caseRefKey(c.kind, c.caseId)) ? [[caseRefKey(c.kind, c.caseId), store.get(caseRefKey(c.kind, c.caseId))!] as const] : []))))
        },
        registrations: (windows) => {
          lookups.push(`registrations of ${windows.map((w) => w.petitionerId).join(',')}`)
          const found = [...store.values()].filter((c) =>
            c.events.some((e) => e.ev.type === 'registered' && windows.some((w) => w.petitionerId === e.ev.attrs?.petitionerId && e.t >= w.from && e.t <= w.to)),
          )
          return delay(found.map((c) => ({ kind: 'petition' as Kind, caseId: c.events[0]!.ev.caseId })))
        },
        position: () =>
          of({
            waiting: Math.max(0, (world.waiting ?? 0) - applied),
            orphan: world.orphan && !appliedKeys.has(world.orphan.until) ? MIDNIGHT + world.orphan.rx * HOUR : null,
            unacked: world.unacked && !appliedKeys.has(world.unacked.until) ? { seq: world.unacked.seq, receivedAt: MIDNIGHT + world.unacked.rx * HOUR } : null,
          }),
      },
    })
    for (const c of world.open ?? []) feed.restore(c)
    type Input = { type: 'batch'; key: string; batch: Delivery[] } | { type: 'tick' }
    const inputs$: Observable<Input> = merge(
      cold(marbles).pipe(map((k): Input => ({ type: 'batch', key: k, batch: ([] as Delivery[]).concat(deliveries[k]!) }))),
      timer(0, 1).pipe(take(frames), map((): Input => ({ type: 'tick' }))),
    )
    const arrivals = (batch: Delivery[]): Arrival[] => batch.map((d) => ({ te: d.te, receivedAt: d.rx === undefined ? BASE + ts.now() * HOUR : MIDNIGHT + d.rx * HOUR }))
    inputs$
      .pipe(
        concatMap((input) =>
          input.type === 'batch'
            ? feed.batch(arrivals(input.batch), input.batch[input.batch.length - 1]!.behind ?? 0).pipe(
                tap(() => {
                  applied += input.batch.length
                  appliedKeys.add(input.key)
                }),
              )
            : feed.tick(),
        ),
        mergeMap((fires) => fires),
      )
      .subscribe((f) => cards.push(`${ts.now()} ${name(f)}`))
    flush()
  })
  return { cards, lookups }
}

const stored = (...events: TimedEvent[]): StoredCase => ({ events, fired: [] })

describe('the live feed after a restart', () => {
  it('fires the cards that came due while down in order as the backlog drains, once the events before their instant are applied', () => {
    const open = [
      stored(task('S-1', 3)), // came due at 03:00, while the worker was down
      stored(task('S-2', 4)), // completed at 02:00, in time, but that is in the backlog
      stored(task('S-3', 2)), // completed at 05:00, too late, in the backlog
      stored(task('S-4', 20)), // comes due at 20:00, frame 10
    ]
    // Taken by the collector at 02:00 and 05:00; delivered at frames 1 and 2.
    const backlog = { a: { te: ev('supervision', 'completed', 'S-2', 2), rx: 2, behind: 1 }, b: { te: ev('supervision', 'completed', 'S-3', 5), rx: 5 } }
    const { cards } = live({ open, waiting: 2 }, '-ab', backlog, 12)
    expect(cards).toEqual([
      '1 supervision.overdue S-3 11-23T02:00', // the clock at a's bus time, 02:00: S-3 is due, and S-2 completes in time
      '2 supervision.overdue S-1 11-23T03:00', // then b's, 05:00
      '10 supervision.overdue S-4 11-23T20:00',
    ])
  })

  it('holds the clock at the bus time of the oldest message not applied while the rest does not come', () => {
    const { cards } = live({ open: [stored(task('S-1', 3))], waiting: 5 }, '-a', { a: { te: ev('supervision', 'progress', 'S-1', 1, { percent: 50 }), rx: 1, behind: 4 } }, 12)
    expect(cards).toEqual([])
  })

  it('fires nothing before the first delivery while messages wait, and runs on the platform clock once none does', () => {
    expect(live({ open: [stored(task('S-1', 3))], waiting: 1 }, '---', {}, 6).cards).toEqual([])
    expect(live({ open: [stored(task('S-1', 3))], waiting: 0 }, '---', {}, 6).cards).toEqual(['0 supervision.overdue S-1 11-23T03:00'])
  })

  it('waits for a message an earlier run left unacked, which comes again only later', () => {
    // S-5's completion at 02:00 was delivered to the killed run and is redelivered at frame 4;
    // S-6 is due at 04:00 and must fire only after it, S-5 not at all.
    const open = [stored(task('S-5', 3)), stored(task('S-6', 4))]
    const deliveries = {
      n: { te: ev('supervision', 'progress', 'S-6', 9, { percent: 10 }), rx: 9 }, // new since the restart: nothing behind it
      o: { te: ev('supervision', 'completed', 'S-5', 2), rx: 2 }, // the orphan, again
    }
    const { cards } = live({ open, orphan: { rx: 2, until: 'o' } }, '-n--o', deliveries, 8)
    expect(cards).toEqual(['4 supervision.overdue S-6 11-23T04:00'])
  })

  it('waits for a message this run pulled and gave back (a batch that failed), which comes again after newer ones', () => {
    // As above, but in one run: S-5's completion failed to store (the database was down) and was
    // nak'ed; the bus names it the oldest unacked while S-6's newer event is applied first.
    const open = [stored(task('S-5', 3)), stored(task('S-6', 4))]
    const o = { te: ev('supervision', 'completed', 'S-5', 2), rx: 2 }
    const deliveries = { n: { te: ev('supervision', 'progress', 'S-6', 9, { percent: 10 }), rx: 9 }, o }
    const { cards } = live({ open, unacked: { seq: o.te.seq, rx: 2, until: 'o' } }, '-n--o', deliveries, 8)
    expect(cards).toEqual(['4 supervision.overdue S-6 11-23T04:00'])
  })
})

describe('the watermark under lag', () => {
  it('gives no card for an approval completed in time whose completion was still queued when the deadline passed (SIM-A-1513)', () => {
    // Accepted 11-13 with a 5-working-day promise (due 11-21 00:00), completed 11-20: all of it still
    // on the bus, taken in time, when the worker gets to it at 10:00 on 11-23.
    const acc = ev('approval', 'accepted', 'A-1513', -240 + 9, { itemCode: 'M', itemName: '许可', promisedDays: 5, legalDays: 20 })
    const dec = ev('approval', 'decided', 'A-1513', -72 + 9, { decision: 'approve' })
    const done = ev('approval', 'completed', 'A-1513', -72 + 10)
    const flood = { x: [{ te: acc, rx: -240 + 9 }, { te: dec, rx: -72 + 9 }, { te: done, rx: -72 + 10 }] }
    const { cards } = live({ waiting: 3 }, '--x', flood, 6)
    expect(cards.filter((c) => c.includes('overdue'))).toEqual([])
    expect(cards).toEqual(['2 approval.due_soon A-1513 11-19T00:00']) // replay gives this one: due soon before it was done
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
    f: { te: ev('approval', 'fee', 'A-9', 11, { amount: 80 }) }, // the standard fee: no card, if the case is loaded first
    g: { te: ev('approval', 'fee', 'A-10', 11, { amount: 80 }) }, // a case never seen: no accepted, so the standard is 0
    h: { te: ev('approval', 'evaluated', 'A-9', 11, { score: 5 }) },
  }

  it('loads the case with its cards before its new event joins it, and only once', () => {
    const { cards, lookups } = live({ closed: [a9], storeDelay: 3 }, '-fgh', deliveries, 12)
    // f waits for the store (frames 1–4), then g for its own lookup (4–7).
    expect(cards).toEqual(['7 approval.fee_mismatch A-10 11-23T11:00'])
    expect(lookups).toEqual(['approval:A-9', 'approval:A-10'])
  })

  it('loads every case of a batch not in memory with one lookup', () => {
    const { cards, lookups } = live({ closed: [a9], storeDelay: 3 }, '-b', { b: [deliveries.f, deliveries.g, deliveries.h] }, 12)
    expect(cards).toEqual(['4 approval.fee_mismatch A-10 11-23T11:00'])
    expect(lookups).toEqual(['approval:A-9,approval:A-10'])
  })
})

describe('the live feed and petition.repeat', () => {
  const reg = (caseId: string, hour: number) => ev('petition', 'registered', caseId, hour, { petitionerId: 'p-7', subject: '噪音' })
  /** a petition registered at `hour`, accepted and replied the days after: closed, nothing to come */
  const done = (caseId: string, hour: number) => stored(reg(caseId, hour), ev('petition', 'accepted', caseId, hour + 24), ev('petition', 'replied', caseId, hour + 48))

  it('loads the petitioner\'s registrations around a new one from the store, whatever is in memory', () => {
    // Two registrations 20 and 10 days before, in cases long closed; the third makes a repeat.
    const closed = [done('P-1', -20 * 24 + 9), done('P-2', -10 * 24 + 9)]
    const { cards, lookups } = live({ closed }, '-r-s', { r: { te: reg('P-3', 10) }, s: { te: reg('P-4', 10.5) } }, 6)
    expect(cards).toEqual(['1 petition.repeat P-3 11-23T10:00', '3 petition.repeat P-4 11-23T10:30'])
    // Everything of the petitioner from P-3's window on is in memory then: asked once.
    expect(lookups).toEqual(['registrations of p-7', 'petition:P-3,petition:P-1,petition:P-2', 'petition:P-4'])
  })

  it('finds nothing to repeat outside the window', () => {
    const closed = [done('P-1', -40 * 24), done('P-2', -31 * 24 + 9)]
    expect(live({ closed }, '-r', { r: { te: reg('P-3', 10) } }, 4).cards).toEqual([])
  })
})

describe('the live feed and the settle delay', () => {
  // A backfill in two deliveries, one frame (one second of wall time, one hour of the
  // platform clock) apart: a task due three days ago, completed in time.
  const backfill = {
    a: { te: ev('supervision', 'assigned', 'B-1', -100, { title: '任务', dueAt: '2026-11-20T00:00:00+08:00' }) },
    c: { te: ev('supervision', 'completed', 'B-1', -80) },
  }

  it('holds the case\'s cards for RULES_SETTLE_MS of wall time, however fast the platform clock runs', () => {
    // B-2, due three days ago too, is never completed: its card waits out the delay, 2.5 s
    // of wall time from its delivery at frame 2, so the first tick after is at frame 5.
    const b2 = { te: ev('supervision', 'assigned', 'B-2', -100, { title: '任务', dueAt: '2026-11-20T00:00:00+08:00' }) }
    expect(live({ settleMs: 2500 }, '-a(cb)', { ...backfill, b: b2 }, 8).cards).toEqual(['5 supervision.overdue B-2 11-20T00:00'])
  })

  it('waits out the delay until the events sent with the case are applied, however long the worker was kept from them', () => {
    // S-1's task and its completion in time reached the bus together at 09:00; the completion's
    // batch failed (the database was down) and comes again only at frame 6, long after 2 s of
    // wall time: the case's card must not fire meanwhile, as it would by wall time alone.
    const a = { te: ev('supervision', 'assigned', 'S-1', 1, { title: '任务', dueAt: new Date(MIDNIGHT + 3 * HOUR).toISOString() }), rx: 9 }
    const c = { te: ev('supervision', 'completed', 'S-1', 2), rx: 9 }
    expect(live({ settleMs: 2000, unacked: { seq: c.te.seq, rx: 9, until: 'c' } }, '-a----c', { a, c }, 10).cards).toEqual([])
  })

  it('holds the cards of a case reloaded at a restart just after its last event until what came with it is applied', () => {
    // S-1's task reached the bus at 09:00 just before the kill; its completion in time, sent with
    // it, is still on the bus and comes at frame 3. Reloaded, S-1 must not fire before it.
    const open = [{ ...stored(task('S-1', 3)), lastReceivedAt: MIDNIGHT + 9 * HOUR }]
    const c = { te: ev('supervision', 'completed', 'S-1', 2), rx: 9 }
    expect(live({ open, settleMs: 2000, waiting: 1 }, '---c', { c }, 6).cards).toEqual([])
    // Without it, the reloaded case fires as the backlog's first message moves the clock, and is withdrawn after.
    expect(live({ open: [stored(task('S-1', 3))], settleMs: 2000, waiting: 1 }, '---c', { c }, 6).cards).toEqual(['3 supervision.overdue S-1 11-23T03:00', '5 -supervision.overdue S-1 11-23T03:00'])
  })

  it('without the delay raises, then withdraws, the card the second event disproves', () => {
    expect(live({ settleMs: 0 }, '-ac', backfill, 8).cards).toEqual(['1 supervision.overdue B-1 11-20T00:00', '2 -supervision.overdue B-1 11-20T00:00'])
  })
})
