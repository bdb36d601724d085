import { describe, expect, it } from 'vitest'
import { eventFields, eventType, MAX_VALUE } from './caseEventFields.ts'

describe('case event fields', () => {
  it('lists the event\'s own fields and leaves the envelope out', () => {
    const ev = { id: 'e1', source: 'hall', kind: 'petition', type: 'received', caseId: 'XF-1', dept: 'market', at: 'x', petitionerName: '张**', phone: '138****0000', fee: { paid: 10 }, note: null }
    expect(eventType(ev)).toBe('received')
    expect(eventFields(ev)).toEqual([['petitionerName', '张**'], ['phone', '138****0000'], ['fee', '{"paid":10}']])
  })

  it('cuts a very long value', () => {
    const [[, v]] = eventFields({ subject: 'x'.repeat(MAX_VALUE + 50) }) as [[string, string]]
    expect(v).toHaveLength(MAX_VALUE + 1)
    expect(eventType({})).toBe('')
  })
})
