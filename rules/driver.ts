/**
 * The one driver of the rule engine: steps in, fires out. An event step gives the
 * engine one timed event, an advance step moves its clock to an instant, a load step
 * puts back a case from the store; event and advance steps carry the wall-clock
 * reading that starts and ends the settle delay (none in replay, which has no delay).
 * The live worker (through liveFeed.ts), `jiancha replay` and the rule tests
 * (replaySteps), the bench and the marble tests all move the engine through here.
 */
import { concatMap, map, merge, type Observable } from 'rxjs'
import type { TimedEvent } from '../common/contract/index.ts'
import type { Fire, FiredCard, RuleEngine } from './engine.ts'

/** EventStep gives the engine one event; `wall` and `rx`, its bus time (live only), start its case's settle delay. */
export interface EventStep {
  type: 'event'
  te: TimedEvent
  wall?: number
  rx?: number
}

/** AdvanceStep moves the engine's clock to `now`; `wall` and `horizon` (live only, RuleEngine.advance) end the settle delays they have passed. */
export interface AdvanceStep {
  type: 'advance'
  now: number
  wall?: number
  horizon?: number
}

/** LoadStep puts back a case from the store, with the cards it already raised. */
export interface LoadStep {
  type: 'load'
  events: readonly TimedEvent[]
  fired: readonly FiredCard[]
  /** live, at a restart: the bus time of the case's last event, when it came within a settle delay of the end; its cards wait for what came with it */
  rx?: number
}

/** Step is one input to the engine. */
export type Step = EventStep | AdvanceStep | LoadStep

/** applyStep feeds one step to the engine and returns the cards it fired or withdrew. */
export function applyStep(engine: RuleEngine, step: Step): Fire[] {
  switch (step.type) {
    case 'event':
      return engine.ingest(step.te, step.wall, step.rx)
    case 'advance':
      return engine.advance(step.now, step.wall, step.horizon)
    case 'load':
      return engine.load(step.events, step.fired, step.rx)
  }
}

/** driveSteps is the driver as a stream: steps in, in order, and the cards they fire out. */
export function driveSteps(engine: RuleEngine, steps$: Observable<Step>): Observable<Fire> {
  return steps$.pipe(concatMap((step) => applyStep(engine, step)))
}

/** stepsOf merges events and clock readings into one stream of event and advance steps, with no wall time. */
export function stepsOf(events$: Observable<TimedEvent>, ticks$: Observable<number>): Observable<Step> {
  return merge(
    events$.pipe(map((te): Step => ({ type: 'event', te }))),
    ticks$.pipe(map((now): Step => ({ type: 'advance', now }))),
  )
}

/**
 * replaySteps gives `visit` the steps of a replay over events already in event time:
 * before each event an advance to its instant (so that what came due before it fires
 * first, and an event at a card's very instant comes too late for it), then the
 * event; last an advance to `until`. It reuses one object per kind of step, so that a
 * replay of a million events makes none: `visit` must not keep a step.
 */
export function replaySteps(sorted: readonly TimedEvent[], until: number, visit: (step: Step) => void): void {
  const advance: AdvanceStep = { type: 'advance', now: -Infinity }
  if (sorted.length) {
    const event: EventStep = { type: 'event', te: sorted[0]! }
    for (const te of sorted) {
      advance.now = te.t
      visit(advance)
      event.te = te
      visit(event)
    }
  }
  advance.now = until
  visit(advance)
}

/** driveReplay runs replay's steps (replaySteps) through the engine and returns the cards in the order they fired. */
export function driveReplay(engine: RuleEngine, sorted: readonly TimedEvent[], until: number): Fire[] {
  const fires: Fire[] = []
  replaySteps(sorted, until, (step) => {
    for (const f of applyStep(engine, step)) fires.push(f)
  })
  return fires
}
