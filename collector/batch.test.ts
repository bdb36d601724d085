import { describe, expect, it } from 'vitest'
import { BatchError, MediaTypeError, parseBatch } from './batch.ts'

describe('parseBatch', () => {
  it('takes one object', () => expect(parseBatch('{"id":"a"}', 'application/json')).toEqual([{ index: 0, value: { id: 'a' } }]))

  it('takes a JSON array', () => {
    expect(parseBatch('[{"id":"a"},{"id":"b"}]', 'application/json; charset=utf-8')).toEqual([{ index: 0, value: { id: 'a' } }, { index: 1, value: { id: 'b' } }])
  })

  it('reads a pretty-printed JSON body whole, as JSON, however it is laid out', () => {
    const body = '{"id":"e1","source":"hall",\n  "attrs":{"itemCode":"MKT-001",\n  "promisedDays":5}}'
    expect(parseBatch(body, 'application/json')).toEqual([{ index: 0, value: { id: 'e1', source: 'hall', attrs: { itemCode: 'MKT-001', promisedDays: 5 } } }])
    expect(parseBatch('[\n {"id":"a"},\n {"id":"b"}\n]', 'application/json')).toHaveLength(2)
    // No content type: JSON too.
    expect(parseBatch(body)).toHaveLength(1)
  })

  it('takes NDJSON and keeps a bad line as a bad item between good ones', () => {
    const items = parseBatch('{"id":"a"}\n{oops\n\n{"id":"c"}\n', 'application/x-ndjson')
    expect(items[0]).toEqual({ index: 0, value: { id: 'a' } })
    expect(items[1]).toMatchObject({ index: 1, error: expect.stringContaining('line 2 is not JSON') })
    expect(items[2]).toEqual({ index: 2, value: { id: 'c' } })
  })

  it('reads lines as NDJSON only under its media type, and says so when JSON was meant', () => {
    expect(() => parseBatch('{"id":"a"}\n{"id":"b"}', 'application/json')).toThrow(/not JSON.*application\/x-ndjson/)
    expect(parseBatch('{"id":"a"}\n{"id":"b"}', 'application/jsonl')).toHaveLength(2)
  })

  it('refuses an empty body, a broken body and other media types as a whole', () => {
    expect(() => parseBatch('  ', 'application/json')).toThrow(BatchError)
    expect(() => parseBatch('[{"id":"a"},', 'application/json')).toThrow(/not JSON/)
    expect(() => parseBatch('id=a', 'application/x-www-form-urlencoded')).toThrow(MediaTypeError)
    expect(() => parseBatch('{}', 'text/plain')).toThrow(/application\/json .*application\/x-ndjson/)
  })
})
