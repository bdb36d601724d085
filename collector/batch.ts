/**
 * parseBatch turns a request body into event candidates: one JSON object, a JSON
 * array, or NDJSON (one object per line). A line that is not JSON becomes an item
 * with an error, so that a bad event never blocks its good neighbours.
 */

/** BatchItem is one entry of a request, parsed or not. */
export type BatchItem = { index: number; value: unknown } | { index: number; error: string }

/** parseBatch splits the body; it throws only when the whole body is unusable. */
export function parseBatch(body: string, contentType = ''): BatchItem[] {
  const text = body.trim()
  if (!text) throw new BatchError('the request body is empty: send one event, a JSON array, or NDJSON')
  const ndjson = /ndjson|jsonl|json-seq/.test(contentType)
  if (!ndjson && (text.startsWith('[') || !text.includes('\n'))) {
    try {
      const v: unknown = JSON.parse(text)
      return Array.isArray(v) ? v.map((value, index) => ({ index, value })) : [{ index: 0, value: v }]
    } catch (e) {
      // A single-line body that is not JSON is one bad item, not a bad batch.
      if (!text.startsWith('[')) return [{ index: 0, error: `not JSON: ${(e as Error).message}` }]
      throw new BatchError(`the body starts with "[" but is not a JSON array: ${(e as Error).message}`)
    }
  }
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
