/**
 * The contract: the events the departments' systems send (event.ts, the schema, the
 * validator), the cards the rules raise (alert.ts), and the shapes the server and the
 * browser exchange (api.ts). Other components import from here, and only from here;
 * the web app imports api.ts alone.
 */
export { type Alert, alertKey, type CardMessage, type Level, type ReplayLine } from './alert.ts'
export * from './api.ts'
export { type CaseEvent, caseKey, EVENT_TYPES, type Kind, KINDS, type TimedEvent } from './event.ts'
export { isPlainText, validateEvent, type Invalid, type Valid } from './validate.ts'
