import { describe, expect, it } from 'vitest'
import { refusedForData } from './refused.ts'

describe('refusedForData', () => {
  it('blames the rows for data, integrity and limit errors only', () => {
    expect(refusedForData({ code: '22P05' })).toBe(true)
    expect(refusedForData({ code: '23505' })).toBe(true)
    expect(refusedForData({ code: '54000' })).toBe(true)
    expect(refusedForData({ code: '08006' })).toBe(false)
    expect(refusedForData({ code: '40P01' })).toBe(false)
    expect(refusedForData(new Error('ECONNRESET'))).toBe(false)
    expect(refusedForData(null)).toBe(false)
  })
})
