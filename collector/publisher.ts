/**
 * busPublisher is how the collector puts an event on the bus: under its subject, with
 * the event id as the message id, within a bounded time (a source waiting half a minute
 * for an answer is worse than a quick 503), and with the bus's permanent refusals
 * turned into rejections rather than "send again".
 */
import { eventSubject, PayloadTooLargeError, type Bus } from '../common/bus/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { PermanentError, type IngestDeps } from './ingest.ts'

/** PUBLISH_BUDGET_MS bounds one event's publish: stored by then, or failed (HTTP 503). */
export const PUBLISH_BUDGET_MS = 2000

/** busPublisher returns IngestDeps.publish over bus. */
export function busPublisher(bus: Pick<Bus, 'publish'>, budgetMs = PUBLISH_BUDGET_MS): IngestDeps['publish'] {
  return async (ev: CaseEvent) => {
    try {
      return await bus.publish(eventSubject(ev.kind, ev.dept), ev, ev.id, { budgetMs })
    } catch (e) {
      if (e instanceof PayloadTooLargeError) {
        throw new PermanentError(`the event is ${e.bytes} bytes as JSON; at most ${e.max} fit on the bus: send large documents by reference, not inside the event`)
      }
      throw e
    }
  }
}
