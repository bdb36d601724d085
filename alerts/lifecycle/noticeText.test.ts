import { describe, expect, it } from 'vitest'
import { type DeptNameOf, MAX_DIGEST, MAX_SINGLE } from '../notify/text.ts'
import type { Step } from './escalation.ts'
import { noticeText, type NoticeFacts } from './noticeText.ts'

const n = (over: Partial<NoticeFacts> = {}): NoticeFacts => ({ dept: 'market', level: 'yellow', rule: 'approval.due_soon', shortCode: 'K7Q2AB', ...over })
const STEPS: Step[] = ['head', 'inspectors', 'accountability']
const REGISTRY = new Map([['market', '市场监管局'], ['tax', '税务局']])
const names: DeptNameOf = (code) => REGISTRY.get(code)

describe('noticeText of one notice', () => {
  it("keeps the thread's text, the head's quoting the code to reply with", () => {
    expect(noticeText('head', [n()], names)).toBe('【电子监察】督办提醒：市场监管局 审批即将到期预警未确认，请督促处理，回复"确认 K7Q2AB"')
    expect(noticeText('inspectors', [n({ rule: 'approval.overdue', level: 'red' })], names)).toBe('【电子监察】督办：市场监管局 审批超期预警超时未确认，已转纪检监察')
    expect(noticeText('accountability', [n()], names)).toBe('【电子监察】问责提示：市场监管局 审批即将到期整改逾期，请阅处')
  })

  it('drops the rule label rather than overflow one segment', () => {
    const long = n({ dept: 'district-planning-ab', rule: 'custom.night_fee_checkx' })
    for (const step of STEPS) {
      const body = noticeText(step, [long], names)
      expect(body.length, step).toBeLessThanOrEqual(MAX_SINGLE)
      expect(body).toContain('district-planning-ab')
    }
    expect(noticeText('head', [long], names)).toBe('【电子监察】督办提醒：district-planning-ab预警未确认，请督促处理，回复"确认 K7Q2AB"')
  })

  it('says nothing a department code or rule id could hide', () => {
    const body = noticeText('head', [n({ dept: '13812345678', rule: '王五投诉' })], names)
    expect(body).toBe('【电子监察】督办提醒：相关部门预警未确认，请督促处理，回复"确认 K7Q2AB"')
  })
})

describe('noticeText of several notices', () => {
  it("counts one department's threads by level, red first, with no code to reply", () => {
    const body = noticeText('head', [n(), n({ level: 'red' }), n()], names)
    expect(body).toBe('【电子监察】督办提醒：市场监管局有3条预警超时未确认（红牌1、黄牌2），请登录平台督促处理')
    expect(body).not.toContain('确认 ')
  })

  it('counts the departments of a group across departments', () => {
    const many = [n(), n({ dept: 'tax' }), n({ dept: 'health', level: 'red' }), n({ dept: 'tax' })]
    expect(noticeText('inspectors', many, names)).toBe('【电子监察】督办：3个部门共4条预警超时未确认（红牌1、黄牌3），已转纪检监察')
    expect(noticeText('accountability', many.slice(0, 2), names)).toBe('【电子监察】问责提示：2个部门共2条整改逾期（黄牌2），请阅处')
    expect(noticeText('inspectors', [n(), n()], names)).toBe('【电子监察】督办：市场监管局有2条预警超时未确认（黄牌2），已转纪检监察')
  })

  it('fits two segments at worst', () => {
    const worst = Array.from({ length: 99_999 }, (_, i) => n({ dept: `dept-code-${String(i % 7).padEnd(10, 'x')}`, level: i % 2 ? 'red' : 'yellow' }))
    for (const step of STEPS) expect(noticeText(step, worst, names).length, step).toBeLessThanOrEqual(MAX_DIGEST)
    const oneDept = worst.map((x) => ({ ...x, dept: 'district-planning-ab' }))
    for (const step of STEPS) expect(noticeText(step, oneDept, names).length, step).toBeLessThanOrEqual(MAX_DIGEST)
  })

  it('refuses an empty group', () => expect(() => noticeText('head', [], names)).toThrow(/no notices/))
})
