/**
 * JSON payload codec for the bus. Every payload on every Jiancha subject is UTF-8 JSON.
 */

const encoder = new TextEncoder()
// fatal: invalid UTF-8 is a poison message, not something to paper over with U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true })

/** encodeJson turns a value into UTF-8 JSON bytes; undefined is sent as null. */
export function encodeJson(data: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(data) ?? 'null')
}

/** decodeJson parses UTF-8 JSON bytes and throws on anything that is not valid JSON. */
export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T
}
