import { describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../alerts/index.ts'
import { mayReadSms, smsView } from './smsView.ts'

const row: OutboxMessage = {
  id: 7, ref: 'k', recipient: '+8613800138000', body: '【电子监察】红牌：市场监管局 审批超期 A-1', status: 'failed', attempts: 3,
  nextAttemptAt: null, twilioSid: 'SM1', error: 'twilio 400 code 21211', createdAt: new Date('2026-11-24T02:00:00Z'),
  updatedAt: new Date('2026-11-24T02:00:05Z'), dept: 'market',
}

describe('smsView', () => {
  it('masks the number and keeps what a reader needs', () => {
    expect(smsView(row, (t) => new Date(t).toISOString())).toEqual({
      id: 7, dept: 'market', to: '138****8000', body: row.body, status: 'failed', error: 'twilio 400 code 21211',
      at: '2026-11-24T02:00:00.000Z', updatedAt: '2026-11-24T02:00:05.000Z',
    })
  })

  it('never carries the full number, the SID or the attempts', () => {
    const v = JSON.stringify(smsView(row, String))
    expect(v).not.toContain('13800138000')
    expect(v).not.toContain('SM1')
  })
})

describe('mayReadSms', () => {
  it('lets a department read only its own messages, and readers of all every one', () => {
    expect(mayReadSms({ dept: 'market' }, { dept: 'market' })).toBe(true)
    expect(mayReadSms({ dept: 'market' }, { dept: 'health' })).toBe(false)
    expect(mayReadSms({ dept: 'market' }, { dept: null })).toBe(false)
    expect(mayReadSms({ all: true }, { dept: null })).toBe(true)
  })
})
