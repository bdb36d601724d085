/**
 * parseBatch turns a request body into event candidates by its media type: a JSON
 * body (application/json) is one event or an array of events, parsed whole however it
 * is laid out; NDJSON (application/x-ndjson) is one event per line, where a line that
 * is not JSON becomes an item with an error, so that it never blocks its neighbours.
 */

/** BatchItem is one entry of a request, parsed or not. */
export type BatchItem = { index: number; value: unknown } | { index: number; error: string }

/** NDJSON_TYPES are the media types read a line at a time. */
export const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl']

/** parseBatch splits the body; it throws a BatchError (400) or MediaTypeError (415) when the whole body is unusable. */
export function parseBatch(body: string, contentType: string | undefined = undefined): BatchItem[] {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type && type !== 'application/json' && !NDJSON_TYPES.includes(type)) {
    throw new MediaTypeError(`Content-Type ${type} is not taken: send application/json (one event or an array) or application/x-ndjson (one event per line)`)
  }
  const text = body.trim()
  if (!text) throw new BatchError('the request body is empty: send one event, a JSON array, or NDJSON')
  if (NDJSON_TYPES.includes(type)) return ndjson(text)
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    const hint = text.includes('\n') && text.trimStart().startsWith('{') ? '; for one event per line send Content-Type: application/x-ndjson' : ''
    throw new BatchError(`the body is not JSON: ${(e as Error).message}${hint}`)
  }
  return Array.isArray(v) ? v.map((value, index) => ({ index, value })) : [{ index: 0, value: v }]
}

function ndjson(text: string): BatchItem[] {
  const out: BatchItem[] = []
  let index = 0
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      out.push({ index, value: JSON.parse(line) })
    } catch (e) {
      out.push({ index, error: `line ${index + 1} is not JSON: ${(e as Error).message}` })
    }
    index++
  }
  return out
}

/** BatchError is a body that cannot be split into events at all (HTTP 400). */
export class BatchError extends Error {}

/** MediaTypeError is a body of a type the collector does not read (HTTP 415). */
export class MediaTypeError extends Error {}
