/**
 * The headers Jiancha sets on bus messages besides NATS's own. Header values are
 * one line of text: headerValue makes any string fit.
 */

/** RECEIVED_HEADER carries when the collector took an event, on the platform clock (RFC 3339, UTC). */
export const RECEIVED_HEADER = 'Jiancha-Received'

/** DEAD_HEADERS name what a dead letter says about the message it carries. */
export const DEAD_HEADERS = {
  stream: 'Jiancha-Dead-Stream',
  consumer: 'Jiancha-Dead-Consumer',
  subject: 'Jiancha-Dead-Subject',
  seq: 'Jiancha-Dead-Seq',
  tries: 'Jiancha-Dead-Tries',
  error: 'Jiancha-Dead-Error',
} as const

/** MAX_HEADER_VALUE bounds a header value: an error message may be long, a header should not be. */
const MAX_HEADER_VALUE = 1000

/** headerValue turns a string into a valid header value: one line, no control characters, bounded. */
export function headerValue(s: string): string {
  const line = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return line.length > MAX_HEADER_VALUE ? `${line.slice(0, MAX_HEADER_VALUE - 1)}…` : line
}
