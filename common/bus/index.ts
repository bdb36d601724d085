/**
 * The public face of the bus layer: components import from here.
 */
export { Bus, type Delivery } from './bus.ts'
export { type NatsServer, startNatsServer } from './natsServer.ts'
export { alertSubject, eventSubject } from './subjects.ts'
