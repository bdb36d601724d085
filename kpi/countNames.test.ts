import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COUNT_NAMES, isCountName, zeroCounts } from './countNames.ts'

describe('count names', () => {
  it('are every count of kpi.md §2, in the order the contract examples print them', () => {
    const line = readFileSync(new URL('../common/contract/examples/national-day.kpi.expected.jsonl', import.meta.url), 'utf8').split('\n')[0]!
    expect(COUNT_NAMES).toEqual(Object.keys(JSON.parse(line).counts))
    const table = readFileSync(new URL('../common/contract/kpi.md', import.meta.url), 'utf8')
    for (const name of COUNT_NAMES) expect(table).toContain(`\`${name}\``)
  })

  it('start at 0, each of them', () => {
    const c = zeroCounts()
    expect(Object.keys(c)).toEqual([...COUNT_NAMES])
    expect(Object.values(c).every((v) => v === 0)).toBe(true)
  })

  it('are told apart from other names', () => {
    expect(isCountName('approval.on_time')).toBe(true)
    expect(isCountName('approval.ontime')).toBe(false)
    expect(isCountName('toString')).toBe(false)
  })
})
