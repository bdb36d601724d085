/**
 * busPublisher is how the collector puts an event on the bus: under its subject, with
 * its source and id as the message id (two sources may use one id), stamped with the
 * platform clock's reading when the collector took it (the Jiancha-Received header,
 * the "bus time" the rules worker's watermark reads), within a bounded time (a source waiting half a minute
 * for an answer is worse than a quick 503), and with the bus's permanent refusals
 * turned into rejections rather than "send again".
 */
import { eventSubject, PayloadTooLargeError, type PublishResult, RECEIVED_HEADER, type Bus } from '../common/bus/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import { PermanentError, type IngestDeps } from './ingest.ts'

/** PUBLISH_BUDGET_MS bounds one event's publish: stored by then, or failed (HTTP 503). */
export const PUBLISH_BUDGET_MS = 2000

/** busPublisher returns IngestDeps.publish over bus. */
export function busPublisher(bus: Pick<Bus, 'publish'>, budgetMs = PUBLISH_BUDGET_MS): (...args: Parameters<IngestDeps['publish']>) => Promise<PublishResult> {
  return async (ev: CaseEvent, receivedAt: number) => {
    try {
      return await bus.publish(eventSubject(ev.kind, ev.dept), ev, eventMsgId(ev), { budgetMs, headers: { [RECEIVED_HEADER]: new Date(receivedAt).toISOString() } })
    } catch (e) {
      if (e instanceof PayloadTooLargeError) {
        throw new PermanentError(`the event is ${e.bytes} bytes as JSON; at most ${e.max} fit on the bus: send large documents by reference, not inside the event`)
      }
      throw e
    }
  }
}

/** eventMsgId is an event's message id on the bus: its source and id ("/" never occurs in a source code). */
export function eventMsgId(ev: Pick<CaseEvent, 'source' | 'id'>): string {
  return `${ev.source}/${ev.id}`
}
