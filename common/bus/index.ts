/**
 * The public face of the bus layer: components import from here.
 */
export { Bus, type Delivery, NotConnectedError, PayloadTooLargeError, type PublishOptions } from './bus.ts'
export { type NatsServer, startNatsServer } from './natsServer.ts'
export { alertSubject, eventSubject } from './subjects.ts'
