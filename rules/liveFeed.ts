/**
 * LiveFeed is the live worker's side of the driver: the steps that a delivered event
 * and a tick of the platform clock make. A case not in memory is loaded before its
 * event joins it. The engine's clock moves only once the worker has caught up with the
 * backlog of the events stream, so that cards that came due while it was down fire
 * with their true `at`, but after the events that queued up meanwhile: one of them may
 * prevent a card. Where the engine's clock goes is decided in one place, advanceTo.
 *
 * What needs I/O (the store, the backlog) comes in as an ObservableInput: a promise
 * live, a plain or virtual-time observable in marble tests, which thus run this very code.
 */
import { defer, from, map, type Observable, type ObservableInput, of, take } from 'rxjs'
import type { Kind, TimedEvent } from '../common/contract/index.ts'
import type { Logger } from '../common/log/index.ts'
import type { Clock } from '../common/time/index.ts'
import { applyStep } from './driver.ts'
import type { Fire, FiredCard, RuleEngine } from './engine.ts'

/** StoredCase is a case as the store holds it: its events and the cards it raised that stand. */
export interface StoredCase {
  events: readonly TimedEvent[]
  fired: readonly FiredCard[]
}

/** LiveStore is what the feed reads besides the engine. */
export interface LiveStore {
  /** stored reads one case from the store (no events: a case never seen) */
  stored(kind: Kind, caseId: string): ObservableInput<StoredCase>
  /** backlog counts the events still waiting on the stream for this worker */
  backlog(): ObservableInput<number>
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

/** LiveFeed turns deliveries and ticks into the driver's steps; see the top of this file. */
export class LiveFeed {
  private caughtUp = false

  constructor(
    private readonly engine: RuleEngine,
    private readonly opts: LiveFeedOptions,
  ) {}

  /** restore puts back a case read from the store at start; nothing fires, since the engine's clock has not moved yet. */
  restore(c: StoredCase): Fire[] {
    return applyStep(this.engine, { type: 'load', events: c.events, fired: c.fired })
  }

  /**
   * event applies one delivered event: the case is loaded first when not in memory,
   * then the engine's clock advances (see advanceTo), then the event joins its case.
   * It emits once, the cards fired and withdrawn on the way.
   */
  event(te: TimedEvent): Observable<Fire[]> {
    return defer(() => {
      const { kind, caseId } = te.ev
      if (this.engine.has(kind, caseId)) return of(this.join(te, NO_FIRES))
      return from(this.opts.store.stored(kind, caseId)).pipe(
        take(1),
        map((c) => this.join(te, c.events.length ? this.restore(c) : NO_FIRES)),
      )
    })
  }

  /**
   * tick advances the engine's clock (see advanceTo) and emits the cards that came
   * due, or null while the backlog is not yet applied: then nothing else that a tick
   * does should happen either.
   */
  tick(): Observable<Fire[] | null> {
    return defer(() => {
      if (this.caughtUp) return of(this.advance())
      return from(this.opts.store.backlog()).pipe(
        take(1),
        map((waiting) => {
          if (waiting > 0) return null
          this.caughtUp = true
          this.opts.log.info('caught up with the events stream')
          return this.advance()
        }),
      )
    })
  }

  /**
   * advanceTo decides where the engine's clock goes: nowhere while catching up with
   * the backlog, the platform clock after. The one place to change it (to a
   * watermark, say: the bus time of the oldest message not yet applied).
   */
  private advanceTo(): number | null {
    return this.caughtUp ? this.opts.clock.now() : null
  }

  private advance(): Fire[] {
    const now = this.advanceTo()
    return now === null ? NO_FIRES : applyStep(this.engine, { type: 'advance', now, wall: this.opts.wallClock.now() })
  }

  private join(te: TimedEvent, loaded: Fire[]): Fire[] {
    const fires = [...loaded, ...this.advance()]
    for (const f of applyStep(this.engine, { type: 'event', te, wall: this.opts.wallClock.now() })) fires.push(f)
    return fires
  }
}
