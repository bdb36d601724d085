/**
 * The rules as an RxJS pipeline: a stream of case events and a stream of clock
 * ticks go in, fired cards come out. The same function runs live (JetStream events,
 * wall-clock ticks), in marble tests (TestScheduler virtual time) and is what replay
 * does in a loop.
 */
import { merge, mergeMap, from, map, type Observable } from 'rxjs'
import type { TimedEvent } from '../common/contract/index.ts'
import type { Fire, RuleEngine } from './engine.ts'

/** Step is one input to the engine: an event or the clock moving on. */
export type Step = { type: 'event'; te: TimedEvent } | { type: 'tick'; now: number }

/** applyStep feeds one step to the engine and returns the cards it fired; `wall` is given live only. */
export function applyStep(engine: RuleEngine, step: Step, wall?: number): Fire[] {
  return step.type === 'event' ? engine.ingest(step.te, wall) : engine.advance(step.now, wall)
}

/** steps merges events and ticks into one ordered stream of steps. */
export function steps(events$: Observable<TimedEvent>, ticks$: Observable<number>): Observable<Step> {
  return merge(
    events$.pipe(map((te): Step => ({ type: 'event', te }))),
    ticks$.pipe(map((now): Step => ({ type: 'tick', now }))),
  )
}

/** ruleFires is the whole pure pipeline: events and ticks in, cards out. */
export function ruleFires(engine: RuleEngine, events$: Observable<TimedEvent>, ticks$: Observable<number>): Observable<Fire> {
  return steps(events$, ticks$).pipe(mergeMap((step) => from(applyStep(engine, step))))
}
