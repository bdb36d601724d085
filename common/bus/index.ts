/**
 * The public face of the bus layer: components import from here.
 */
export { Bus, type BusConnection, type ConsumerState, type Delivery, NotConnectedError, PayloadTooLargeError, type PublishOptions, type PublishResult } from './bus.ts'
export type { StoredDeadLetter } from './deadLetters.ts'
export { DEAD_HEADERS, RECEIVED_HEADER } from './headers.ts'
export { ALERTS_STREAM, DEAD_STREAM, EVENTS_STREAM } from './streams.ts'
export { findNatsServer, type NatsServer, startNatsServer } from './natsServer.ts'
export { alertSubject, deadSubject, eventSubject } from './subjects.ts'
