import { describe, expect, it } from 'vitest'
import { RULE_LABELS } from '../../../alerts/index.ts'
import { KIND_NAMES } from '../../../common/departments/index.ts'
import { DEPT_KINDS } from '../../../common/contract/api.ts'
import { deptLabel, levelLabel, MESSAGES, otherLang, pickLang, ruleIds, ruleLabel, t } from './i18n.ts'

describe('i18n', () => {
  it('speaks zh-CN by default and English on ?lang=en', () => {
    expect(pickLang('')).toBe('zh-CN')
    expect(pickLang('?lang=fr')).toBe('zh-CN')
    expect(pickLang('?lang=en')).toBe('en')
    expect(pickLang('?x=1&lang=EN-gb')).toBe('en')
    expect(otherLang('zh-CN')).toBe('en')
    expect(otherLang('en')).toBe('zh-CN')
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('zh-CN', 'counterAria', { level: '红牌', n: 3 })).toBe('红牌：3 张')
    expect(t('en', 'counterAria', { level: 'Red card' })).toBe('Red card: {n}')
    expect(t('zh-CN', 'title')).toBe('电子监察实时预警')
  })

  it('names every built-in rule in zh-CN', () => {
    const expected: Record<string, string> = {
      'approval.overdue': '审批超期', 'approval.due_soon': '审批即将到期', 'approval.out_of_order': '程序异常',
      'approval.accept_delay': '超时受理', 'approval.no_reason': '不予受理无理由', 'approval.fee_mismatch': '违规收费',
      'approval.long_suspension': '长期中止', 'approval.poor_rating': '差评', 'enforcement.due_soon': '执法即将超期',
      'enforcement.overdue': '执法超期', 'enforcement.discretion': '裁量异常', 'petition.accept_overdue': '信访超期未受理',
      'petition.reply_due_soon': '信访即将到期', 'petition.reply_overdue': '信访答复超期', 'petition.repeat': '重复信访',
      'petition.unsatisfied': '信访不满意', 'supervision.overdue': '督办超期', 'source.silent': '数据中断',
      'inspection.flag': '主动巡检', 'calendar.uncovered': '日历未覆盖',
    }
    for (const [rule, label] of Object.entries(expected)) expect(ruleLabel('zh-CN', rule)).toBe(label)
    expect(ruleLabel('en', 'approval.overdue')).toBe('Approval overdue')
    expect(ruleIds().sort()).toEqual(Object.keys(expected).sort())
  })

  it('shows unknown rule ids raw, even ones that look like object keys', () => {
    expect(ruleLabel('zh-CN', 'custom.night_fee')).toBe('custom.night_fee')
    expect(ruleLabel('zh-CN', 'constructor')).toBe('constructor')
  })

  it('names the kinds of department as the import file and jiancha dept do', () => {
    for (const k of DEPT_KINDS) {
      expect(t('zh-CN', `depts.kind.${k}`)).toBe(KIND_NAMES[k]['zh-CN'])
      expect(t('en', `depts.kind.${k}`)).toBe(KIND_NAMES[k].en)
    }
  })

  it('labels levels in words, not colour alone', () => {
    expect(levelLabel('zh-CN', 'yellow')).toBe('黄牌')
    expect(levelLabel('zh-CN', 'red')).toBe('红牌')
    expect(levelLabel('en', 'red')).toBe('Red card')
  })

  it('names departments, falling back to the code', () => {
    const names = { health: { 'zh-CN': '卫健委', en: 'Health Commission' } }
    expect(deptLabel(names, 'zh-CN', 'health')).toBe('卫健委')
    expect(deptLabel(names, 'en', 'health')).toBe('Health Commission')
    expect(deptLabel(names, 'en', 'toString')).toBe('toString')
    expect(deptLabel(names, 'en', 'tax')).toBe('tax')
  })

  it('has every string in English too, with the same placeholders', () => {
    const zh = MESSAGES['zh-CN']
    const en = MESSAGES.en
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
      expect([key, en[key].trim().length > 0]).toEqual([key, true])
      expect([key, holes(en[key])]).toEqual([key, holes(zh[key])])
    }
  })

  it('names every rule as the text messages do', () => {
    for (const [rule, label] of Object.entries(RULE_LABELS)) expect(ruleLabel('zh-CN', rule)).toBe(label)
  })
})
