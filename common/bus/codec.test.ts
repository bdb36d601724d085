import { describe, expect, it } from 'vitest'
import { decodeJson, encodeJson } from './codec.ts'

describe('codec', () => {
  it('round trips JSON values including Chinese text', () => {
    const v = { dept: '市公安局', n: 3, list: [true, null], nested: { s: 'a.b' } }
    expect(decodeJson(encodeJson(v))).toEqual(v)
  })

  it('sends undefined as null', () => {
    expect(decodeJson(encodeJson(undefined))).toBeNull()
  })

  it('rejects non-JSON and invalid UTF-8', () => {
    expect(() => decodeJson(new TextEncoder().encode('not json'))).toThrow()
    expect(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]))).toThrow()
  })
})
