import { describe, expect, it } from 'vitest'
import { CODE_ALPHABET, deptLabel, type DeptNameOf, digestText, MAX_DIGEST, MAX_SINGLE, NO_NAMES, plainCode, ruleLabel, shortCode, singleText } from './text.ts'

// The registry as the platform hands it in (bin/platform.ts: DeptDirectory.nameOf).
const REGISTRY = new Map([['market', '市场监管局']])
const names: DeptNameOf = (code) => REGISTRY.get(code)

describe('singleText', () => {
  it('reads like the example and fits one segment', () => {
    const body = singleText({ level: 'red', rule: 'approval.overdue', dept: 'market', caseId: 'A-0001' }, 'K7Q2', names)
    expect(body).toBe('【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 K7Q2"')
    expect(body.length).toBeLessThanOrEqual(MAX_SINGLE)
  })

  it('shortens a long case id to its tail to stay within one segment', () => {
    const body = singleText({ level: 'yellow', rule: 'petition.accept_overdue', dept: 'district-planning-ab', caseId: `XF-${'ab12'.repeat(7)}` }, 'K7Q2', names)
    expect(body.length).toBeLessThanOrEqual(MAX_SINGLE)
    expect(body).toMatch(/…[a-z0-9]+，请回复/)
  })

  it('leaves out a case id that could hide a phone or id number, or is not a plain code', () => {
    for (const caseId of ['13812345678', '+8613812345678', '138-1234-5678', '110101199003074519', '张三的案件', 'A 1']) {
      const body = singleText({ level: 'red', rule: 'approval.overdue', dept: 'market', caseId }, 'K7Q2', names)
      expect(body).toBe('【电子监察】红牌：市场监管局 审批超期，请回复"确认 K7Q2"')
    }
  })
})

describe('digestText', () => {
  it('counts the cards by level, red first', () => {
    const body = digestText('market', { red: 2, yellow: 5 }, 'K7Q2', names)
    expect(body).toBe('【电子监察】市场监管局：新增红牌2张、黄牌5张，详见工作台，回复"确认 K7Q2"确认全部')
    expect(body.length).toBeLessThanOrEqual(MAX_DIGEST)
    expect(digestText('market', { red: 0, yellow: 3 }, 'K7Q2', names)).toContain('新增黄牌3张，')
  })
})

describe('department names in texts', () => {
  const facts = (dept: string) => ({ level: 'red' as const, rule: 'approval.overdue', dept, caseId: 'A-0001' })

  it('names a registered department by its registered name', () => {
    expect(singleText(facts('market'), 'K7Q2', names)).toBe('【电子监察】红牌：市场监管局 审批超期 A-0001，请回复"确认 K7Q2"')
    expect(digestText('market', { red: 1, yellow: 0 }, 'K7Q2', names)).toMatch(/^【电子监察】市场监管局：新增红牌1张，/)
  })

  it('names an unregistered department by its code when that is a plain code', () => {
    expect(singleText(facts('district7'), 'K7Q2', names)).toBe('【电子监察】红牌：district7 审批超期 A-0001，请回复"确认 K7Q2"')
    expect(digestText('district7', { red: 0, yellow: 2 }, 'K7Q2', names)).toMatch(/^【电子监察】district7：新增黄牌2张，/)
    // Without a registry at all, every department reads as its code.
    expect(singleText(facts('market'), 'K7Q2', NO_NAMES)).toContain('红牌：market 审批超期')
  })

  it('says 相关部门 for a code that could hide a phone or id number, or is not a plain code', () => {
    for (const dept of ['13812345678', '110101199003074519', '张三', 'a b', `dept-${'x'.repeat(20)}`]) {
      expect(singleText(facts(dept), 'K7Q2', names), dept).toBe('【电子监察】红牌：相关部门 审批超期 A-0001，请回复"确认 K7Q2"')
      expect(digestText(dept, { red: 1, yellow: 1 }, 'K7Q2', names), dept).toMatch(/^【电子监察】相关部门：/)
    }
  })

  it('does not use a name longer than a text allows, whatever the lookup gives', () => {
    const long: DeptNameOf = () => '某市市场监督管理局食品安全监督管理处第三科'
    expect(deptLabel('market', long)).toBe('market')
  })
})

describe('labels', () => {
  it('shows an unknown rule or department by its code only when that is a plain code', () => {
    expect(ruleLabel('custom.night_fee')).toBe('custom.night_fee')
    expect(ruleLabel('constructor')).toBe('constructor')
    expect(ruleLabel('王五投诉')).toBe('预警')
    expect(deptLabel('market', names)).toBe('市场监管局')
    expect(deptLabel('district7', names)).toBe('district7')
    expect(deptLabel('13812345678', names)).toBe('相关部门')
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
