import { describe, expect, it } from 'vitest'
import {
  familyOf, isRefusal, STATES, transition,
  type Action, type Actor, type AttachmentRef, type RefusalReason, type State, type Thread,
} from './states.ts'

const T0 = Date.parse('2026-11-23T10:00:00+08:00')
const AT = T0 + 3_600_000

const thread = (state: State, over: Partial<Thread> = {}): Thread => ({
  id: 7, caseKind: 'approval', caseId: 'A-1', family: 'approval.deadline', dept: 'land', level: 'yellow', state,
  alertKeys: ['approval.due_soon:yellow:approval:A-1'], shortCode: 'K7M2QX', openedAt: T0, updatedAt: T0,
  notifiedAt: state === 'raised' ? null : T0, ackAt: ['raised', 'notified'].includes(state) ? null : T0, rectificationDueAt: null, closedAt: null,
  ...over,
})

const system: Actor = { role: 'system', name: 'sms' }
const land: Actor = { role: 'department', dept: 'land', name: 'zhang' }
const water: Actor = { role: 'department', dept: 'water', name: 'li' }
const inspector: Actor = { role: 'inspector', name: 'wang' }
const leader: Actor = { role: 'leader', name: 'zhao' }
const admin: Actor = { role: 'admin', name: 'root' }

const pdf: AttachmentRef = { sha256: 'a'.repeat(64), name: '整改报告.pdf', size: 1234, type: 'application/pdf' }
const submit = (text = '已补办审批手续并完成整改', attachments: AttachmentRef[] = [pdf]): Action => ({ name: 'submit_rectification', text, attachments })
const upgrade: Action = { name: 'upgrade', alertKey: 'approval.overdue:red:approval:A-1', level: 'red' }

describe('transition', () => {
  const allowed: Array<[State, Action, Actor, string, State]> = [
    ['raised', { name: 'notify' }, system, 'sms sent', 'notified'],
    ['raised', { name: 'acknowledge' }, land, '', 'acknowledged'],
    ['notified', { name: 'acknowledge' }, land, '收到', 'acknowledged'],
    ['acknowledged', submit(), land, '', 'rectification_submitted'],
    ['returned', submit(), land, '补充材料', 'rectification_submitted'],
    ['rectification_submitted', { name: 'approve' }, inspector, '整改到位', 'approved'],
    ['rectification_submitted', { name: 'approve' }, inspector, '', 'approved'],
    ['rectification_submitted', { name: 'return' }, inspector, '缺少现场照片', 'returned'],
    ...(['raised', 'notified', 'acknowledged', 'rectification_submitted', 'returned'] as State[]).flatMap((s): Array<[State, Action, Actor, string, State]> => [
      [s, { name: 'withdraw' }, { role: 'system', name: 'rules' }, '撤销', 'withdrawn'],
      [s, upgrade, { role: 'system', name: 'rules' }, '升级', 'raised'],
    ]),
  ]
  it.each(allowed)('%s --%o by %o--> %s', (from, action, actor, why, to) => {
    const r = transition(thread(from), action, actor, AT, why)
    if (isRefusal(r)) throw new Error(r.message)
    expect(r.thread.state).toBe(to)
    expect(r.thread.updatedAt).toBe(AT)
    expect(r.event).toMatchObject({ action: action.name, from, to, actor, at: AT, why: why.trim() })
  })

  const refused: Array<[string, Thread, Action, Actor, string, RefusalReason]> = [
    ['a leader never transitions', thread('rectification_submitted'), { name: 'approve' }, leader, 'ok', 'wrong_role'],
    ['a leader cannot acknowledge', thread('notified'), { name: 'acknowledge' }, leader, '', 'wrong_role'],
    ['an admin takes no part', thread('rectification_submitted'), { name: 'approve' }, admin, '', 'wrong_role'],
    ['another department cannot acknowledge', thread('notified'), { name: 'acknowledge' }, water, '', 'wrong_dept'],
    ['another department cannot submit', thread('acknowledged'), submit(), water, '', 'wrong_dept'],
    ['a department without a dept cannot act', thread('notified'), { name: 'acknowledge' }, { role: 'department', name: 'x' }, '', 'wrong_dept'],
    ['a department cannot approve its own work', thread('rectification_submitted'), { name: 'approve' }, land, '', 'wrong_role'],
    ['an inspector cannot acknowledge for the department', thread('notified'), { name: 'acknowledge' }, inspector, '', 'wrong_role'],
    ['an inspector cannot submit', thread('acknowledged'), submit(), inspector, '', 'wrong_role'],
    ['a person cannot notify', thread('raised'), { name: 'notify' }, inspector, '', 'wrong_role'],
    ['a person cannot withdraw', thread('notified'), { name: 'withdraw' }, inspector, '', 'wrong_role'],
    ['the system cannot acknowledge', thread('notified'), { name: 'acknowledge' }, system, '', 'wrong_role'],
    ['the system cannot approve', thread('rectification_submitted'), { name: 'approve' }, system, '', 'wrong_role'],
    ['notify twice', thread('notified'), { name: 'notify' }, system, '', 'wrong_state'],
    ['acknowledge twice', thread('acknowledged'), { name: 'acknowledge' }, land, '', 'wrong_state'],
    ['submit before acknowledging', thread('notified'), submit(), land, '', 'wrong_state'],
    ['submit twice', thread('rectification_submitted'), submit(), land, '', 'wrong_state'],
    ['approve before a submission', thread('acknowledged'), { name: 'approve' }, inspector, '', 'wrong_state'],
    ['return before a submission', thread('returned'), { name: 'return' }, inspector, '还差', 'wrong_state'],
    ['approve a closed thread', thread('approved'), { name: 'approve' }, inspector, '', 'wrong_state'],
    ['withdraw a closed thread', thread('approved'), { name: 'withdraw' }, system, '', 'wrong_state'],
    ['withdraw twice', thread('withdrawn'), { name: 'withdraw' }, system, '', 'wrong_state'],
    ['act on a withdrawn thread', thread('withdrawn'), { name: 'acknowledge' }, land, '', 'wrong_state'],
    ['upgrade a closed thread', thread('approved'), upgrade, system, '', 'wrong_state'],
    ['upgrade a red thread', thread('notified', { level: 'red' }), upgrade, system, '', 'wrong_state'],
    ['submit without text', thread('acknowledged'), submit(''), land, '', 'missing_text'],
    ['submit a text of 9 characters', thread('acknowledged'), submit('整改已经完成了吗？'), land, '', 'missing_text'],
    ['submit blanks', thread('acknowledged'), submit('             '), land, '', 'missing_text'],
    ['submit six attachments', thread('acknowledged'), submit(undefined, Array(6).fill(pdf)), land, '', 'too_many_attachments'],
    ['return without a comment', thread('rectification_submitted'), { name: 'return' }, inspector, '  ', 'missing_comment'],
  ]
  it.each(refused)('refuses: %s', (_name, t, action, actor, why, reason) => {
    const r = transition(t, action, actor, AT, why)
    expect(isRefusal(r) && r.refused).toBe(reason)
    if (isRefusal(r)) expect(r.message.length).toBeGreaterThan(10)
  })

  it('checks the role before the state: a leader is told about the role', () => {
    const r = transition(thread('approved'), { name: 'approve' }, leader, AT, '')
    expect(isRefusal(r) && r.refused).toBe('wrong_role')
  })

  it('accepts ten Chinese characters as a rectification text', () => {
    const r = transition(thread('acknowledged'), submit('已全部整改到位完毕'.padEnd(10, '。')), land, AT, '')
    expect(isRefusal(r)).toBe(false)
  })

  it('leaves the given thread untouched', () => {
    const t = thread('raised')
    const copy = structuredClone(t)
    transition(t, upgrade, system, AT, '')
    expect(t).toEqual(copy)
  })

  it('stamps the notice, the acknowledgement and the closing', () => {
    const n = transition(thread('raised'), { name: 'notify' }, system, AT, '')
    const a = transition(thread('notified'), { name: 'acknowledge' }, land, AT, '')
    const c = transition(thread('rectification_submitted'), { name: 'approve' }, inspector, AT, '')
    const w = transition(thread('returned'), { name: 'withdraw' }, system, AT, '')
    if (isRefusal(n) || isRefusal(a) || isRefusal(c) || isRefusal(w)) throw new Error('refused')
    expect(n.thread.notifiedAt).toBe(AT)
    expect(a.thread.ackAt).toBe(AT)
    expect([c.thread.closedAt, w.thread.closedAt]).toEqual([AT, AT])
  })

  it('records the rectification text and attachments in the event', () => {
    const r = transition(thread('acknowledged'), submit('  已补办审批手续并完成整改  '), land, AT, '')
    if (isRefusal(r)) throw new Error(r.message)
    expect(r.event.detail).toEqual({ text: '已补办审批手续并完成整改', attachments: [pdf] })
  })

  it('upgrades to red, back to raised, needing a fresh acknowledgement and notice', () => {
    const r = transition(thread('acknowledged', { rectificationDueAt: AT + 1 }), upgrade, system, AT, '升级')
    if (isRefusal(r)) throw new Error(r.message)
    expect(r.thread).toMatchObject({ level: 'red', state: 'raised', ackAt: null, notifiedAt: null, rectificationDueAt: AT + 1 })
    expect(r.thread.alertKeys).toEqual(['approval.due_soon:yellow:approval:A-1', 'approval.overdue:red:approval:A-1'])
    expect(r.event).toMatchObject({ from: 'acknowledged', to: 'raised', detail: { fromLevel: 'yellow', toLevel: 'red' } })
  })

  it('drops one card of several and keeps the state', () => {
    const t = thread('acknowledged', { level: 'red', alertKeys: ['y', 'r'] })
    const r = transition(t, { name: 'withdraw_card', alertKey: 'r', level: 'yellow' }, system, AT, '')
    if (isRefusal(r)) throw new Error(r.message)
    expect(r.thread).toMatchObject({ state: 'acknowledged', level: 'yellow', alertKeys: ['y'] })
    const lone = transition(thread('acknowledged'), { name: 'withdraw_card', alertKey: 'approval.due_soon:yellow:approval:A-1', level: 'yellow' }, system, AT, '')
    expect(isRefusal(lone) && lone.refused).toBe('wrong_state')
  })

  it('has a closed state no action leaves', () => {
    const actions: Action[] = [{ name: 'notify' }, { name: 'acknowledge' }, submit(), { name: 'approve' }, { name: 'return' }, { name: 'withdraw' }, upgrade]
    const actors = [system, land, inspector]
    for (const s of ['approved', 'withdrawn'] as State[]) {
      for (const a of actions) for (const who of actors) expect(isRefusal(transition(thread(s), a, who, AT, 'x'))).toBe(true)
    }
    expect(STATES).toHaveLength(7)
  })
})

describe('familyOf', () => {
  it.each([
    ['approval.due_soon', 'approval.deadline'],
    ['approval.overdue', 'approval.deadline'],
    ['enforcement.due_soon', 'enforcement.deadline'],
    ['enforcement.overdue', 'enforcement.deadline'],
    ['petition.reply_due_soon', 'petition.reply'],
    ['petition.reply_overdue', 'petition.reply'],
    ['petition.accept_overdue', 'petition.accept_overdue'],
    ['approval.fee_mismatch', 'approval.fee_mismatch'],
    ['inspection.flag', 'inspection.flag'],
  ])('puts %s in family %s', (rule, family) => expect(familyOf(rule)).toBe(family))
})
