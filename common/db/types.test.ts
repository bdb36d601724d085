import { describe, expect, it } from 'vitest'
import { parseDate, parseInt8, pgTypes } from './types.ts'

describe('parseInt8', () => {
  it('gives a number, or a bigint when a number would lose digits', () => {
    expect(parseInt8('42')).toBe(42)
    expect(parseInt8('9007199254740993')).toBe(9007199254740993n)
  })
})

describe('parseDate', () => {
  it('keeps the calendar day as text', () => {
    expect(parseDate('2024-01-31')).toBe('2024-01-31')
  })
})

describe('pgTypes', () => {
  const parser = (oid: number) => (pgTypes.getTypeParser as (oid: number) => (s: string) => unknown)(oid)

  it('parses int8 and date, scalar and array, like PGlite does', () => {
    expect(parser(20)('7')).toBe(7)
    expect(parser(1016)('{1,NULL,3}')).toEqual([1, null, 3])
    expect(parser(1182)('{2024-01-31}')).toEqual(['2024-01-31'])
  })

  it('falls back to pg for other types', () => {
    expect(parser(1184)('2024-01-01 00:00:00+00')).toEqual(new Date('2024-01-01T00:00:00Z'))
  })
})
