import { describe, expect, it } from 'vitest'
import { validateEvent } from '../../../common/contract/index.ts'
import { complaintEvent, ComplaintError, readComplaint, trackingNumber } from './complaint.ts'

const DEPTS = new Set(['market', 'health'])

describe('complaints', () => {
  it('reads a form and names the wrong field', () => {
    expect(readComplaint({ dept: 'market', subject: ' 乱收费 ', details: '窗口多收了材料费', phone: '' }, DEPTS)).toEqual({ dept: 'market', subject: '乱收费', details: '窗口多收了材料费' })
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ dept: 'nowhere', subject: 'x', details: 'y' }, 'dept'],
      [{ dept: 'market', subject: '  ', details: 'y' }, 'subject'],
      [{ dept: 'market', subject: 'x' }, 'details'],
      [{ dept: 'market', subject: 'x', details: 'y'.repeat(2001) }, 'details'],
      [{ dept: 'market', subject: 'x', details: 'y', phone: 'call me' }, 'phone'],
      [{ dept: 'market', subject: 'a\u202eb', details: 'y' }, 'subject'],
      [{ dept: 'market', subject: 42, details: 'y' }, 'subject'],
    ]
    for (const [body, field] of bad) {
      expect(() => readComplaint(body, DEPTS), field).toThrow(ComplaintError)
      try {
        readComplaint(body, DEPTS)
      } catch (e) {
        expect((e as ComplaintError).field).toBe(field)
      }
    }
  })

  it('becomes a registered petition of source public that the contract accepts, the phone not in its id', () => {
    const n = trackingNumber('2026-11-24')
    expect(n).toMatch(/^TS20261124-[2-9A-Z]{6}$/)
    const ev = complaintEvent({ dept: 'market', subject: '乱收费', details: '多收费', name: '张三', phone: '13800001111' }, n, '2026-11-24T10:00:00+08:00', 'k')
    expect(validateEvent(ev)).toMatchObject({ ok: true })
    expect(ev).toMatchObject({ id: n, caseId: n, source: 'public', kind: 'petition', type: 'registered', dept: 'market' })
    expect(String(ev.attrs!.petitionerId)).not.toContain('13800001111')
    const again = complaintEvent({ dept: 'health', subject: 's', details: 'd', phone: '138-0000-1111' }, trackingNumber('2026-11-24'), '2026-11-24T10:00:00+08:00', 'k')
    expect(again.attrs!.petitionerId).toBe(ev.attrs!.petitionerId)
  })
})
