import { describe, expect, it } from 'vitest'
import { readView, writeView } from './cockpitView.ts'

describe('cockpitView', () => {
  it('reads an empty address as the current ranking', () => {
    expect(readView('')).toEqual({ tab: 'ranking', period: null, kind: null, dept: null, indicator: null, from: null, until: null })
  })

  it('reads and writes a drill-down and the decision support dates back unchanged', () => {
    for (const q of ['period=2026-Q4&kind=approval&dept=market&indicator=approval_on_time', 'tab=reform&from=2026-09-01&until=2026-11-30', 'period=2026']) {
      expect(writeView(readView(q))).toBe(q)
    }
  })

  it('leaves out what it cannot read, and an indicator with no department', () => {
    const v = readView('tab=x&period=2026-13&kind=army&dept=a%20b&indicator=cards&from=yesterday')
    expect(v).toEqual({ tab: 'ranking', period: null, kind: null, dept: null, indicator: null, from: null, until: null })
    expect(readView('indicator=cards').indicator).toBeNull()
    expect(writeView({ ...readView(''), indicator: 'cards' })).toBe('')
  })
})
