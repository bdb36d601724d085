import { describe, expect, it } from 'vitest'
import type { SmsStatus, SmsView } from '../../../common/contract/api.ts'
import { isFailed, smsFromSnapshot, upsertSms } from './smsFeed.ts'

function sms(id: number, minute: number, status: SmsStatus = 'pending'): SmsView {
  const at = new Date(Date.UTC(2026, 10, 24, 2, minute)).toISOString()
  return { id, dept: 'market', to: '+86 138****8000', body: '【电子监察】红牌', status, error: null, at, updatedAt: at }
}

const ids = (list: SmsView[]) => list.map((s) => s.id)

describe('sms feed', () => {
  it('puts new messages first and late ones in their place', () => {
    let f = upsertSms([], sms(1, 1))
    f = upsertSms(f, sms(3, 3))
    f = upsertSms(f, sms(2, 2))
    expect(ids(f)).toEqual([3, 2, 1])
  })

  it('replaces a message whose status moved on, in place', () => {
    let f = [sms(2, 2), sms(1, 1)]
    f = upsertSms(f, sms(1, 1, 'sent'))
    f = upsertSms(f, sms(1, 1, 'delivered'))
    expect(f.map((s) => [s.id, s.status])).toEqual([[2, 'pending'], [1, 'delivered']])
  })

  it('never moves a status back', () => {
    const f = [sms(1, 1, 'failed')]
    expect(upsertSms(f, sms(1, 1, 'sent'))).toBe(f)
  })

  it('stays within its capacity', () => {
    let f: SmsView[] = []
    for (let i = 0; i < 10; i++) f = upsertSms(f, sms(i, i), 4)
    expect(ids(f)).toEqual([9, 8, 7, 6])
    expect(upsertSms(f, sms(99, 0), 4)).toBe(f)
  })

  it('builds from a snapshot without duplicates, newest first', () => {
    expect(ids(smsFromSnapshot([sms(1, 1), sms(2, 2), sms(1, 1)]))).toEqual([2, 1])
    expect(smsFromSnapshot(undefined)).toEqual([])
  })

  it('calls failed and undelivered messages failed', () => {
    expect((['failed', 'undelivered'] as const).every(isFailed)).toBe(true)
    expect((['pending', 'sending', 'sent', 'delivered'] as const).some(isFailed)).toBe(false)
  })
})
