import { describe, expect, it } from 'vitest'
import { BatchError, parseBatch } from './batch.ts'

describe('parseBatch', () => {
  it('takes one object', () => expect(parseBatch('{"id":"a"}')).toEqual([{ index: 0, value: { id: 'a' } }]))

  it('takes a JSON array', () => {
    expect(parseBatch('[{"id":"a"},{"id":"b"}]')).toEqual([{ index: 0, value: { id: 'a' } }, { index: 1, value: { id: 'b' } }])
  })

  it('takes NDJSON and keeps a bad line as a bad item between good ones', () => {
    const items = parseBatch('{"id":"a"}\n{oops\n\n{"id":"c"}\n', 'application/x-ndjson')
    expect(items[0]).toEqual({ index: 0, value: { id: 'a' } })
    expect(items[1]).toMatchObject({ index: 1, error: expect.stringContaining('line 2 is not JSON') })
    expect(items[2]).toEqual({ index: 2, value: { id: 'c' } })
  })

  it('recognises NDJSON without its content type', () => {
    expect(parseBatch('{"id":"a"}\n{"id":"b"}')).toHaveLength(2)
  })

  it('refuses an empty body and a broken array as a whole', () => {
    expect(() => parseBatch('  ')).toThrow(BatchError)
    expect(() => parseBatch('[{"id":"a"},')).toThrow(/not a JSON array/)
  })
})
