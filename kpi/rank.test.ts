import { describe, expect, it } from 'vitest'
import { competitionRanks } from './rank.ts'
import { Ratio } from './ratio.ts'

const ranks = (scores: Record<string, number | null>) =>
  Object.fromEntries(competitionRanks(new Map(Object.entries(scores).map(([d, s]) => [d, s === null ? null : Ratio.fromNumber(s)]))))

describe('competitionRanks', () => {
  it('ranks by score descending, equal scores sharing a rank and the next skipping (1, 2, 2, 4)', () => {
    expect(ranks({ a: 70, b: 90, c: 80, d: 80 })).toEqual({ b: 1, c: 2, d: 2, a: 4 })
    expect(ranks({ x: 40.91, y: 40.91 })).toEqual({ x: 1, y: 1 })
  })

  it('gives no rank to a department without a score', () => {
    expect(ranks({ a: null, b: 10 })).toEqual({ b: 1, a: null })
    expect(ranks({})).toEqual({})
  })
})
