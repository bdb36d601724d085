import { describe, expect, it } from 'vitest'
import { CODE_ALPHABET, deptLabel, digestText, MAX_DIGEST, MAX_SINGLE, plainCode, ruleLabel, shortCode, singleText } from './text.ts'

describe('singleText', () => {
  it('reads like the example and fits one segment', () => {
    const body = singleText({ level: 'red', rule: 'approval.overdue', dept: 'market', caseId: 'A-0001' }, 'K7Q2')
    expect(body).toBe('【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 K7Q2"')
    expect(body.length).toBeLessThanOrEqual(MAX_SINGLE)
  })

  it('shortens a long case id to its tail to stay within one segment', () => {
    const body = singleText({ level: 'yellow', rule: 'petition.accept_overdue', dept: 'district-planning-ab', caseId: `XF-${'ab12'.repeat(7)}` }, 'K7Q2')
    expect(body.length).toBeLessThanOrEqual(MAX_SINGLE)
    expect(body).toMatch(/…[a-z0-9]+，请回复/)
  })

  it('leaves out a case id that could hide a phone or id number, or is not a plain code', () => {
    for (const caseId of ['13812345678', '+8613812345678', '138-1234-5678', '110101199003074519', '张三的案件', 'A 1']) {
      const body = singleText({ level: 'red', rule: 'approval.overdue', dept: 'market', caseId }, 'K7Q2')
      expect(body).toBe('【电子监察】红牌：市场监管局 审批超期，请回复"确认 K7Q2"')
    }
  })
})

describe('digestText', () => {
  it('counts the cards by level, red first', () => {
    const body = digestText('market', { red: 2, yellow: 5 }, 'K7Q2')
    expect(body).toBe('【电子监察】市场监管局：新增红牌2张、黄牌5张，详见工作台，回复"确认 K7Q2"确认全部')
    expect(body.length).toBeLessThanOrEqual(MAX_DIGEST)
    expect(digestText('market', { red: 0, yellow: 3 }, 'K7Q2')).toContain('新增黄牌3张，')
  })
})

describe('labels', () => {
  it('shows an unknown rule or department by its code only when that is a plain code', () => {
    expect(ruleLabel('custom.night_fee')).toBe('custom.night_fee')
    expect(ruleLabel('constructor')).toBe('constructor')
    expect(ruleLabel('王五投诉')).toBe('预警')
    expect(deptLabel('market')).toBe('市场监管局')
    expect(deptLabel('district7')).toBe('district7')
    expect(deptLabel('13812345678')).toBe('相关部门')
  })

  it('finds phone-like and id-like runs', () => {
    expect(plainCode('SIM-A-1234', 32)).toBe('SIM-A-1234')
    expect(plainCode('2026-0001', 32)).toBe('2026-0001')
    expect(plainCode('1381234567', 32)).toBeNull()
    expect(plainCode('138.1234.5678', 32)).toBeNull()
  })
})

describe('shortCode', () => {
  it('is four characters of an unambiguous alphabet', () => {
    for (let i = 0; i < 500; i++) expect(shortCode(`k${i}`)).toMatch(/^[2-9A-HJ-NP-Z]{4}$/)
    expect(CODE_ALPHABET).not.toMatch(/[01OI]/)
  })

  it('is deterministic per key and salt, and the salt moves it', () => {
    expect(shortCode('approval.overdue:red:approval:A-0001')).toBe(shortCode('approval.overdue:red:approval:A-0001', 0))
    const salted = new Set([0, 1, 2, 3, 4].map((s) => shortCode('x', s)))
    expect(salted.size).toBeGreaterThan(1)
  })
})
