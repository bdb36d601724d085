import { describe, expect, it } from 'vitest'
import { STATES } from '../../../common/contract/api.ts'
import { actionLabel, escalationLabel, kindLabel, roleLabel, SMS_SYMBOL, smsStatusLabel, STATE_ORDER, STATE_SYMBOL, stateLabel, threadRule, threadRuleLabel } from './labels.ts'

describe('labels', () => {
  it('knows every state of the state machine, in its order', () => {
    expect(STATE_ORDER).toEqual(STATES)
    for (const s of STATES) expect(STATE_SYMBOL[s]).toBeTruthy()
  })

  it('names the states as the consoles do', () => {
    const zh = STATE_ORDER.map((s) => stateLabel('zh-CN', s))
    expect(zh).toEqual(['已预警', '已通知', '已确认', '待审核', '已退回', '已办结', '已撤销'])
    expect(stateLabel('en', 'rectification_submitted')).toBe('Awaiting review')
  })

  it('names a paired family by the rule of its level', () => {
    expect(threadRule('approval.deadline', 'red')).toBe('approval.overdue')
    expect(threadRule('petition.reply', 'yellow')).toBe('petition.reply_due_soon')
    expect(threadRule('approval.fee_mismatch', 'red')).toBe('approval.fee_mismatch')
    expect(threadRule('constructor', 'red')).toBe('constructor')
    expect(threadRuleLabel('zh-CN', 'approval.deadline', 'red')).toBe('审批超期')
  })

  it('names actions, roles, kinds and SMS statuses, and shows unknown ones raw', () => {
    expect(actionLabel('zh-CN', 'return')).toBe('退回整改')
    expect(actionLabel('zh-CN', 'escalate')).toBe('督办升级')
    expect(roleLabel('zh-CN', 'inspector')).toBe('监察员')
    expect(roleLabel('en', 'system')).toBe('System')
    expect(kindLabel('zh-CN', 'petition')).toBe('信访')
    expect(smsStatusLabel('zh-CN', 'failed')).toBe('发送失败')
    expect(smsStatusLabel('zh-CN', 'undelivered')).toBe('未送达')
    for (const s of Object.keys(SMS_SYMBOL) as Array<keyof typeof SMS_SYMBOL>) expect(smsStatusLabel('en', s)).not.toMatch(/^sms\./)
    expect(actionLabel('en', 'rename' as never)).toBe('rename')
  })
  it('names the escalation steps in words, and leaves an unknown one readable', () => {
    expect(escalationLabel('zh-CN', 'accountability')).toBe('整改逾期，已问责')
    expect(escalationLabel('zh-CN', 'head')).toBe('已提醒部门负责人')
    expect(escalationLabel('en', 'inspectors')).toBe('Passed to the inspectors (督办)')
    expect(escalationLabel('en', 'later-step')).toBe('later-step')
  })
})
