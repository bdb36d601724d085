import { describe, expect, it } from 'vitest'
import { applyPatch, itemCodeOf, matches, settingsFor } from './overrides.ts'
import { parseRulesFile } from './rulesFile.ts'
import { defaultSettings, type RuleSettings } from './settings.ts'

const BASE = parseRulesFile(`
rules:
  approval.due_soon: { marginDays: 3 }
overrides:
  - match: { itemCode: HSG-002 }
    rules:
      approval.due_soon: { marginDays: 1 }
      approval.fee_mismatch: { enabled: false }
  - match: { dept: housing }
    rules:
      approval.due_soon: { marginDays: 0, level: red }
      enforcement.overdue: { defaultLimitDays: 60 }
  - match: { dept: housing, itemCode: HSG-009 }
    rules:
      approval.fee_mismatch: { level: yellow }
`)

describe('settingsFor', () => {
  it('returns the base itself when there are no overrides', () => {
    const s = defaultSettings()
    expect(settingsFor(s, { dept: 'housing', itemCode: 'HSG-002' })).toBe(s)
  })

  it('keeps the base values for a case no override matches', () => {
    const s = settingsFor(BASE, { dept: 'market', itemCode: 'MKT-001' })
    expect(s.approval.dueSoonMarginDays).toBe(3)
    expect(s.rules['approval.fee_mismatch']).toEqual({ enabled: true, level: 'red' })
    expect(s.version).toBe(BASE.version)
  })

  it('matches by item code alone', () => {
    const s = settingsFor(BASE, { dept: 'market', itemCode: 'HSG-002' })
    expect(s.approval.dueSoonMarginDays).toBe(1)
    expect(s.rules['approval.fee_mismatch'].enabled).toBe(false)
    expect(s.enforcement.defaultLimitDays).toBe(90)
  })

  it('matches by department alone, for cases without an item code too', () => {
    const s = settingsFor(BASE, { dept: 'housing' })
    expect(s.approval.dueSoonMarginDays).toBe(0)
    expect(s.rules['approval.due_soon']).toEqual({ enabled: true, level: 'red' })
    expect(s.enforcement.defaultLimitDays).toBe(60)
  })

  it('applies every matching override in file order, later wins, and merges enabled and level separately', () => {
    const s = settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-002' })
    // the dept override comes after the item override, so its margin wins
    expect(s.approval.dueSoonMarginDays).toBe(0)
    expect(s.rules['approval.fee_mismatch']).toEqual({ enabled: false, level: 'red' })
    const both = settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-009' })
    expect(both.rules['approval.fee_mismatch']).toEqual({ enabled: true, level: 'yellow' })
  })

  it('needs both keys of a two-key match', () => {
    expect(settingsFor(BASE, { dept: 'market', itemCode: 'HSG-009' }).rules['approval.fee_mismatch'].level).toBe('red')
  })

  it('memoizes per case and per base', () => {
    const a = settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-002' })
    expect(settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-002' })).toBe(a)
    expect(settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-003' })).not.toBe(a)
    const other: RuleSettings = { ...BASE, approval: { ...BASE.approval, dueSoonMarginDays: 5 } }
    expect(settingsFor(other, { dept: 'market', itemCode: 'X' }).approval.dueSoonMarginDays).toBe(5)
  })

  it('keeps giving right answers past the cache bound', () => {
    for (let i = 0; i < 10_050; i++) settingsFor(BASE, { dept: `d${i}` })
    expect(settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-002' }).approval.dueSoonMarginDays).toBe(0)
    expect(settingsFor(BASE, { dept: 'd3' }).approval.dueSoonMarginDays).toBe(3)
  })

  it('leaves the base untouched', () => {
    const before = JSON.stringify(BASE)
    settingsFor(BASE, { dept: 'housing', itemCode: 'HSG-002' })
    expect(JSON.stringify(BASE)).toBe(before)
  })
})

describe('matches', () => {
  it('selects nothing with an empty match', () => {
    expect(matches({}, { dept: 'housing' })).toBe(false)
  })

  it('treats an item code the case lacks as no match', () => {
    expect(matches({ itemCode: 'HSG-002' }, { dept: 'housing' })).toBe(false)
  })
})

describe('applyPatch', () => {
  it('copies, and sets only what the patch gives', () => {
    const d = defaultSettings()
    const p = applyPatch(d, { rules: { 'approval.overdue': { enabled: false } }, petition: { replyDays: 30 } })
    expect(p.rules['approval.overdue']).toEqual({ enabled: false, level: 'red' })
    expect(p.petition).toEqual({ ...d.petition, replyDays: 30 })
    expect(d.rules['approval.overdue'].enabled).toBe(true)
    expect(d.petition.replyDays).toBe(60)
  })
})

describe('itemCodeOf', () => {
  it('is the item code of the first event that names one', () => {
    const ev = (type: string, attrs?: Record<string, unknown>) => ({ ev: { id: type, source: 's', kind: 'approval' as const, type, caseId: 'A', dept: 'd', at: '', ...(attrs ? { attrs } : {}) }, t: 0, seq: 0 })
    expect(itemCodeOf([ev('resumed'), ev('submitted', { itemCode: 'HSG-002' }), ev('accepted', { itemCode: 'HSG-009' })])).toBe('HSG-002')
    expect(itemCodeOf([ev('resumed')])).toBeUndefined()
  })
})
