/**
 * The public face of the bus layer: components import from here.
 */
export { Bus, type BusOptions, type PublishResult } from './bus.ts'
export type { ConsumeOptions, Delivery } from './consumer.ts'
export { findNatsServer, NATS_SERVER_NOT_FOUND, startNatsServer, type NatsServer, type NatsServerOptions } from './natsServer.ts'
export { ALERTS_STREAM, DEFAULT_DUPLICATE_WINDOW_MS, ensureStreams, EVENTS_STREAM } from './streams.ts'
export {
  alertSubject,
  alertsFilter,
  controlSubject,
  decodeSubjectToken,
  eventSubject,
  eventsFilter,
  liveSubject,
  parseSubject,
  subjectToken,
  type ParsedSubject,
} from './subjects.ts'
