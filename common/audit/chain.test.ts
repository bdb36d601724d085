import { describe, expect, it } from 'vitest'
import { canonical, canonicalJson, GENESIS, hashEntry, jsonValue, type ChainEntry } from './chain.ts'

const entry: ChainEntry = {
  seq: 1,
  at: Date.UTC(2026, 4, 6, 1, 2, 3, 45),
  actor: '张三',
  action: 'alert.approved',
  subject: 'alert:42',
  detail: { z: 1, a: { y: [2, { d: 1, c: '中文' }], x: null } },
}

describe('canonical', () => {
  it('sorts keys at every depth and writes at as UTC ISO with milliseconds', () => {
    expect(canonical(entry)).toBe(
      '{"action":"alert.approved","actor":"张三","at":"2026-05-06T01:02:03.045Z","detail":{"a":{"x":null,"y":[2,{"c":"中文","d":1}]},"z":1},"seq":1,"subject":"alert:42"}',
    )
  })

  it('does not depend on key order or on at being a number or a Date', () => {
    const reordered: ChainEntry = { ...entry, at: new Date(entry.at), detail: { a: { x: null, y: [2, { c: '中文', d: 1 }] }, z: 1 } }
    expect(canonical(reordered)).toBe(canonical(entry))
  })

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]')
  })

  it('refuses an invalid time', () => {
    expect(() => canonical({ ...entry, at: NaN })).toThrow(/no valid time/)
  })
})

describe('hashEntry', () => {
  it('is the sha256 hex of the previous hash, a newline and the canonical form', () => {
    const h = hashEntry(GENESIS, entry)
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(GENESIS).toBe('0'.repeat(64))
    expect(hashEntry(GENESIS, { ...entry })).toBe(h)
  })

  it('changes with the previous hash, the seq and any detail', () => {
    const h = hashEntry(GENESIS, entry)
    expect(hashEntry('1'.repeat(64), entry)).not.toBe(h)
    expect(hashEntry(GENESIS, { ...entry, seq: 2 })).not.toBe(h)
    expect(hashEntry(GENESIS, { ...entry, detail: { ...entry.detail, z: 2 } })).not.toBe(h)
  })
})

describe('jsonValue', () => {
  it('is the value as jsonb gives it back: undefined dropped, Dates as strings', () => {
    expect(jsonValue({ a: undefined, b: new Date(0), c: NaN })).toEqual({ b: '1970-01-01T00:00:00.000Z', c: null })
  })
})
