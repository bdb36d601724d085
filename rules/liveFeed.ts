/**
 * LiveFeed is the live worker's side of the driver: the steps that a batch of stored
 * events and a tick of the platform clock make. Cases not in memory are loaded before
 * their events join them, and so are the petitioner's other registrations around a new
 * registration (petition.repeat), whatever the engine happens to hold.
 *
 * Where the engine's clock goes is decided in one place, watermark(): to the bus time
 * of the oldest message not yet applied, or to the platform clock when none is
 * waiting. A timer thus fires only once every event that reached the bus before its
 * instant has been applied, in normal running as after a restart: cards that came due
 * while the worker was down fire with their true `at` as the backlog drains, after the
 * events queued before that instant, one of which may prevent them. "Bus time" is the
 * platform clock's reading when the collector took the event (Delivery.receivedAt), so
 * the demo's time-lapse keeps its meaning.
 *
 * What needs I/O (the store, the consumer's position) comes in as an ObservableInput: a
 * promise live, a plain or virtual-time observable in marble tests, which thus run
 * this very code.
 */
import { defer, from, map, mergeMap, type Observable, type ObservableInput, of, take } from 'rxjs'
import type { TimedEvent } from '../common/contract/index.ts'
import type { Logger } from '../common/log/index.ts'
import { type Clock, DAY_MS } from '../common/time/index.ts'
import { str } from './attrs.ts'
import { applyStep } from './driver.ts'
import type { Fire, FiredCard, RuleEngine } from './engine.ts'
import { type CaseRef, caseRefKey, eventKey, type RegistrationWindow } from './eventStore.ts'

/** StoredCase is a case as the store holds it: its events and the cards it raised that stand. */
export interface StoredCase {
  events: readonly TimedEvent[]
  fired: readonly FiredCard[]
  /** at a restart, the bus time of its last event when that came within a settle delay of the last stored (its cards wait for what came with it) */
  lastReceivedAt?: number
}

/** ConsumerPosition is where the worker's consumer stands on the bus. */
export interface ConsumerPosition {
  /** messages not finished yet: not delivered, or delivered and not acked */
  waiting: number
  /** the bus time of the oldest message delivered to an earlier run and not acked yet (it comes again), or null */
  orphan: number | null
  /**
   * the oldest message delivered (to this run or another) and not acked: one the
   * consumer pulled and nak'ed, or a batch that failed, comes again after messages
   * behind it have been applied; the watermark waits for it all the same
   */
  unacked?: { seq: number; receivedAt: number } | null
  /** every message up to this stream seq is acked or dropped: none of them comes again */
  ackFloor?: number
}

/** LiveStore is what the feed reads besides the engine. */
export interface LiveStore {
  /** stored reads cases from the store by caseRefKey; a case with no events is absent */
  stored(cases: readonly CaseRef[]): ObservableInput<ReadonlyMap<string, StoredCase>>
  /** registrations lists the petition cases with a registration by these petitioners in these windows of event time */
  registrations(windows: readonly RegistrationWindow[]): ObservableInput<readonly CaseRef[]>
  /** position tells where the consumer stands */
  position(): ObservableInput<ConsumerPosition>
}

/** Arrival is one stored event as it came off the bus. */
export interface Arrival {
  te: TimedEvent
  /** its bus time (Delivery.receivedAt) */
  receivedAt: number
}

/** LiveFeedOptions are the feed's collaborators. */
export interface LiveFeedOptions {
  store: LiveStore
  /** the platform clock, which may be the demo's time-lapse */
  clock: Clock
  /** wall time, which the settle delay (RULES_SETTLE_MS) is meant in */
  wallClock: Clock
  log: Logger
}

const NO_FIRES: Fire[] = []

/** LiveFeed turns batches and ticks into the driver's steps; see the top of this file. */
export class LiveFeed {
  /** messages behind the last one delivered, or not finished at the last check */
  private waiting = 0
  /** of those, the ones not held here (not delivered yet, or pulled and not handed over) */
  private unknown = 0
  /** the latest bus time applied */
  private lastReceived = -Infinity
  /** the platform clock's reading when the bus last said that nothing waits for the worker */
  private confirmed = -Infinity
  /** see ConsumerPosition.orphan */
  private orphan: number | null = null
  /** messages delivered and not applied, to come again (nak'ed): seq → bus time */
  private readonly unapplied = new Map<number, number>()
  /** those of them the database refused (see hold) */
  private readonly refused = new Set<number>()
  /** the seq held because the bus named it the oldest unacked (ConsumerPosition.unacked) */
  private floorSeq: number | null = null
  /** seqs applied since the last tick, and in the interval before it */
  private appliedNow = new Set<number>()
  private appliedBefore = new Set<number>()
  /** for each petitioner, the instant of event time from which on its registrations are in memory */
  private readonly covered = new Map<string, number>()

  constructor(
    private readonly engine: RuleEngine,
    private readonly opts: LiveFeedOptions,
  ) {}

  /** restore puts back a case read from the store; what fires is due at the engine's clock. */
  restore(c: StoredCase): Fire[] {
    return applyStep(this.engine, { type: 'load', events: c.events, fired: c.fired, rx: c.lastReceivedAt })
  }

  /** behind is how many messages wait for the worker, as last known (0 when unknown). */
  get behind(): number {
    return this.waiting + this.unapplied.size
  }

  /** lagMs is how far the engine's clock is behind the platform clock. */
  lagMs(): number {
    return Math.max(0, this.opts.clock.now() - this.engine.now)
  }

  /**
   * hold records a delivered message that was not applied and comes again: the watermark
   * waits for it. One the database refused (`refused`, likely a dead letter in the end)
   * does not hold up the settle delays of the cases behind it.
   */
  hold(seq: number, receivedAt: number, refused = false): void {
    this.unapplied.set(seq, receivedAt)
    if (refused) this.refused.add(seq)
  }

  /** release forgets a held message: applied at last, or given up (dead letter). */
  release(seq: number): void {
    this.unapplied.delete(seq)
    this.refused.delete(seq)
  }

  /**
   * batch applies stored events in stream order: first it loads the cases not in
   * memory and the registrations around new ones, then before each event it moves
   * the engine's clock to the watermark (that event is the oldest not applied), then
   * the event joins its case. `behind` is how many messages the bus said wait after
   * the batch's last delivery. It emits once, the cards fired and withdrawn on the way.
   */
  batch(arrivals: readonly Arrival[], behind: number): Observable<Fire[]> {
    return defer(() => this.load(arrivals.map((a) => a.te))).pipe(
      map((loaded) => {
        const fires = loaded.slice()
        const wall = this.opts.wallClock.now()
        // Bus times are nearly, not strictly, in stream order: the oldest not applied is the least of the rest.
        const rest = new Array<number>(arrivals.length)
        for (let i = arrivals.length - 1, m = Infinity; i >= 0; i--) rest[i] = m = Math.min(m, arrivals[i]!.receivedAt)
        for (const [i, a] of arrivals.entries()) {
          this.release(a.te.seq)
          this.appliedNow.add(a.te.seq)
          for (const f of this.advance(rest[i])) fires.push(f)
          for (const f of applyStep(this.engine, { type: 'event', te: a.te, wall, rx: a.receivedAt })) fires.push(f)
          if (a.receivedAt > this.lastReceived) this.lastReceived = a.receivedAt
        }
        this.waiting = behind
        this.unknown = behind
        for (const f of this.advance()) fires.push(f)
        return fires
      }),
    )
  }

  /** delivered notes a batch of which nothing could be applied, for what it says of the messages behind. */
  delivered(behind: number): void {
    this.waiting = behind
    this.unknown = behind
  }

  /**
   * tick asks the bus where the consumer stands, then moves the engine's clock to the
   * watermark and emits the cards that came due. "Nothing waits" is only ever believed
   * of the moment the bus said it: a message that came after is not applied yet.
   */
  tick(): Observable<Fire[]> {
    return defer(() => {
      const asked = this.opts.clock.now()
      return from(this.opts.store.position()).pipe(
        take(1),
        map((p) => {
          if (p.orphan !== null && this.orphan === null) this.opts.log.info('waiting for the messages an earlier run left unacked', { since: new Date(p.orphan).toISOString() })
          this.waiting = p.waiting
          this.orphan = p.orphan
          if (p.ackFloor !== undefined) for (const seq of [...this.unapplied.keys()]) if (seq <= p.ackFloor) this.release(seq)
          this.holdFloor(p.unacked ?? null)
          this.unknown = Math.max(0, p.waiting - this.unapplied.size)
          this.appliedBefore = this.appliedNow
          this.appliedNow = new Set()
          if (p.waiting === 0 && asked > this.confirmed) this.confirmed = asked
          return this.advance()
        }),
      )
    })
  }

  /**
   * holdFloor holds the oldest unacked message until it is applied. The floor only ever
   * rises, so a floor left behind was acked (or given up) and its hold can go.
   */
  private holdFloor(u: { seq: number; receivedAt: number } | null): void {
    if (this.floorSeq !== null && this.floorSeq !== u?.seq) this.release(this.floorSeq)
    this.floorSeq = u?.seq ?? null
    if (u && !this.applied(u.seq)) this.hold(u.seq, u.receivedAt)
  }

  /**
   * applied tells a seq applied since the tick before last: the bus may not have had its
   * ack yet when it was asked. One that failed after it was applied is held by the worker.
   */
  private applied(seq: number): boolean {
    return this.appliedNow.has(seq) || this.appliedBefore.has(seq)
  }

  /**
   * watermark is where the engine's clock may go: the bus time of the oldest message
   * not applied (`next`, the one in hand; a held one; one an earlier run left), or,
   * when none waits, the platform clock's reading when the bus last said so. The one
   * place that decides it.
   */
  watermark(next?: number): number {
    const now = this.opts.clock.now()
    let w = next ?? Math.max(this.lastReceived, this.confirmed)
    for (const t of this.unapplied.values()) if (t < w) w = t
    if (this.orphan !== null && this.orphan < w) w = this.orphan
    return Math.min(w, now)
  }

  private advance(next?: number): Fire[] {
    // Even when the watermark stays, wall time moves on: settle delays may end.
    const now = this.watermark(next)
    if (now === -Infinity) return NO_FIRES
    return applyStep(this.engine, { type: 'advance', now, wall: this.opts.wallClock.now(), horizon: this.horizon(next) })
  }

  /**
   * horizon is the bus time of the oldest message known not to be applied: the one in
   * hand, a held one, an orphan, or, while messages wait behind the last delivery, the
   * next of them (no older than the last applied); Infinity when none is known. A case
   * settles only once the messages that reached the bus with its events are applied.
   */
  private horizon(next?: number): number {
    let h = next ?? (this.unknown > 0 ? this.lastReceived : Infinity)
    for (const [seq, t] of this.unapplied) if (t < h && !this.refused.has(seq)) h = t
    if (this.orphan !== null && this.orphan < h) h = this.orphan
    return h
  }

  /**
   * preload loads what the repeat rule needs around registrations already in memory
   * (the cases reloaded at a restart): their petitioners' other registrations.
   */
  preload(events: readonly TimedEvent[]): Observable<Fire[]> {
    return defer(() => this.load(events))
  }

  /** load restores, in one lookup, the cases of `events` not in memory and those of the registrations around new ones. */
  private load(events: readonly TimedEvent[]): Observable<Fire[]> {
    const want = new Map<string, CaseRef>()
    const windows: RegistrationWindow[] = []
    for (const { ev } of events) {
      const key = caseRefKey(ev.kind, ev.caseId)
      if (!want.has(key) && !this.engine.has(ev.kind, ev.caseId)) want.set(key, { kind: ev.kind, caseId: ev.caseId })
    }
    for (const te of events) {
      const w = this.window(te)
      if (w) windows.push(w)
    }
    const cases$: Observable<readonly CaseRef[]> = windows.length ? from(this.opts.store.registrations(windows)).pipe(take(1)) : of([])
    return cases$.pipe(
      mergeMap((regs) => {
        for (const w of windows) this.cover(w)
        for (const c of regs) {
          const key = caseRefKey(c.kind, c.caseId)
          if (!want.has(key) && !this.engine.has(c.kind, c.caseId)) want.set(key, c)
        }
        if (!want.size) return of(NO_FIRES)
        // The store holds this batch's events already: they join their cases as events, with their settle delay, not as history.
        const own = new Set(events.map((te) => eventKey(te.ev.source, te.ev.id)))
        return from(this.opts.store.stored([...want.values()])).pipe(
          take(1),
          map((stored) => {
            const fires: Fire[] = []
            for (const c of stored.values()) {
              const history = c.events.filter((te) => !own.has(eventKey(te.ev.source, te.ev.id)))
              if (history.length) for (const f of this.restore({ events: history, fired: c.fired })) fires.push(f)
            }
            return fires
          }),
        )
      }),
    )
  }

  /**
   * window is the stretch of event time in which a registration's petitioner's other
   * registrations bear on petition.repeat: from its window before it on, with no end,
   * since a later registration is one it may make a repeat. Once loaded, every later
   * one is in memory or comes through this worker, so a petitioner is loaded once from
   * the earliest window asked for; null when that covers this one already.
   */
  private window(te: TimedEvent): RegistrationWindow | null {
    const ev = te.ev
    if (ev.kind !== 'petition' || ev.type !== 'registered') return null
    const petitionerId = str(ev, 'petitionerId')
    if (!petitionerId) return null
    const from = te.t - this.engine.repeatWindowDays * DAY_MS
    const have = this.covered.get(petitionerId)
    if (have !== undefined && have <= from) return null
    return { petitionerId, from, to: Infinity }
  }

  /** cover records that a petitioner's registrations from an instant on are in memory (once they are). */
  private cover(w: RegistrationWindow): void {
    const have = this.covered.get(w.petitionerId)
    this.covered.set(w.petitionerId, have === undefined ? w.from : Math.min(have, w.from))
  }
}
