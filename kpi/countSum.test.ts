import { describe, expect, it } from 'vitest'
import { zeroCounts } from './countNames.ts'
import { formatCountSum, parseCountSum, sumOf } from './countSum.ts'

describe('count sums', () => {
  it('read one count, or counts added and subtracted', () => {
    expect(parseCountSum('approval.on_time')).toEqual([{ sign: 1, count: 'approval.on_time' }])
    expect(parseCountSum(' approval.evaluated -approval.poor ')).toEqual([
      { sign: 1, count: 'approval.evaluated' },
      { sign: -1, count: 'approval.poor' },
    ])
    expect(parseCountSum('cards.yellow + cards.red')).toEqual([
      { sign: 1, count: 'cards.yellow' },
      { sign: 1, count: 'cards.red' },
    ])
  })

  it('name an unknown count and the nearest known one', () => {
    expect(parseCountSum('approval.ontime')).toBe('unknown count "approval.ontime"; did you mean approval.on_time?')
    expect(parseCountSum('approval.evaluated - poor')).toBe('unknown count "poor"; the counts are listed in docs/kpi.md')
    expect(parseCountSum('-approval.poor')).toBe('must start with a count, not a sign')
    expect(parseCountSum('approval.poor +')).toBe('must be counts joined by + or -, got "approval.poor +"')
    expect(parseCountSum('')).toBe('must be counts joined by + or -, got ""')
  })

  it('evaluate over counts and write themselves one way', () => {
    const c = { ...zeroCounts(), 'approval.evaluated': 7, 'approval.poor': 2 }
    const sum = parseCountSum('approval.evaluated-approval.poor')
    if (typeof sum === 'string') throw new Error(sum)
    expect(sumOf(sum, c)).toBe(5)
    expect(formatCountSum(sum)).toBe('approval.evaluated - approval.poor')
  })
})
