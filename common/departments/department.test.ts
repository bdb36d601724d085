import { describe, expect, it } from 'vitest'
import { checkCode, checkDepartment, checkKind, DeptFieldError } from './department.ts'

const MARKET = { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision' }

describe('checkDepartment', () => {
  it('normalizes a department: names trimmed, no parent, active when left out', () => {
    expect(checkDepartment({ ...MARKET, nameZh: ' 市场监管局 ', parent: '' })).toEqual({
      code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: null, active: true,
    })
  })

  it('reads active from a boolean or from the words a spreadsheet holds', () => {
    for (const [v, want] of [[false, false], ['FALSE', false], ['no', false], ['0', false], ['否', false], ['true', true], ['是', true], [true, true]] as const) {
      expect(checkDepartment({ ...MARKET, active: v }).active, String(v)).toBe(want)
    }
    expect(() => checkDepartment({ ...MARKET, active: 'maybe' })).toThrow('active "maybe" must be true or false (left out: true)')
  })

  it('names the field that is wrong', () => {
    const bad = (d: Record<string, unknown>) => () => checkDepartment({ ...MARKET, ...d })
    expect(bad({ code: '市场' })).toThrow('code "市场" must be a code: ASCII letters, digits and _ . : - , starting with a letter or digit')
    expect(bad({ code: undefined })).toThrow('code is missing')
    expect(bad({ nameZh: '' })).toThrow('name_zh is missing: the name, e.g. 市场监管局')
    expect(bad({ nameZh: '某市市场监督管理局食品安全监督管理处第三科' })).toThrow(/^name_zh ".*" is 21 characters; at most 20 \(it heads every text message\)$/)
    expect(bad({ nameEn: 'Market\nBureau' })).toThrow('name_en "Market\\nBureau" must be one line of plain text')
    expect(bad({ nameEn: 42 })).toThrow('name_en must be a text, got 42')
    expect(bad({ kind: 'bureau' })).toThrow('kind "bureau" must be one of approval (审批), enforcement (执法), service (服务), supervision (监管), other (其他)')
    expect(bad({ parent: 'market' })).toThrow('parent "market" is the department itself')
    expect(bad({ parent: 'a b' })).toThrow('parent "a b" must be a code')
  })

  it('spells the fields as the caller asks', () => {
    const labels = { code: 'code', nameZh: 'names.zh-CN', nameEn: 'names.en', kind: 'kind', parent: 'parent', active: 'active' }
    try {
      checkDepartment({ ...MARKET, nameZh: null }, labels)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(DeptFieldError)
      expect((e as DeptFieldError).field).toBe('names.zh-CN')
    }
  })
})

describe('checkCode', () => {
  it('takes the contract pattern, up to 100 characters', () => {
    expect(checkCode('SCJG.district-7:a_b')).toBe('SCJG.district-7:a_b')
    expect(checkCode('a'.repeat(100))).toHaveLength(100)
    expect(() => checkCode('a'.repeat(101))).toThrow('code is 101 characters; a code has at most 100')
    expect(() => checkCode('-market')).toThrow('must be a code')
    expect(() => checkCode('market/7')).toThrow('must be a code')
  })
})

describe('checkKind', () => {
  it('takes a code or its Chinese name', () => {
    expect(checkKind('approval')).toBe('approval')
    expect(checkKind('执法')).toBe('enforcement')
    expect(() => checkKind(undefined)).toThrow('kind is missing: one of approval (审批)')
  })
})
