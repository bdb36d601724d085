import { describe, expect, it } from 'vitest'
import { validateEvent } from './validate.ts'

const accepted = {
  id: 'e1', source: 'hall', kind: 'approval', type: 'accepted', caseId: 'A-1', dept: 'market', at: '2026-09-28T10:00:00+08:00',
  attrs: { itemCode: 'MKT-001', itemName: '食品经营许可', promisedDays: 5, legalDays: 20 },
}

describe('validateEvent', () => {
  it('accepts a valid event and keeps unknown fields', () => {
    const v = validateEvent({ ...accepted, extra: { x: 1 } })
    expect(v.ok && v.event.extra).toEqual({ x: 1 })
  })

  it.each([
    [{ ...accepted, id: undefined }, 'id', 'is required'],
    [{ ...accepted, kind: 'tax' }, 'kind', 'must be one of'],
    [{ ...accepted, type: 'approved' }, 'type', 'must be one of'],
    [{ ...accepted, at: '2026-09-28 10:00' }, 'at', 'RFC 3339'],
    [{ ...accepted, at: '2026-09-28T10:00:00' }, 'at', 'offset'],
    [{ ...accepted, attrs: { ...accepted.attrs, promisedDays: 0 } }, 'attrs.promisedDays', '>= 1'],
    [{ ...accepted, attrs: { ...accepted.attrs, promisedDays: 30 } }, 'attrs.legalDays', '≥ promisedDays'],
    [{ ...accepted, attrs: { itemCode: 'x', itemName: 'y', promisedDays: 1 } }, 'attrs.legalDays', 'is required'],
    [{ ...accepted, type: 'suspended', attrs: { reason: 'lunch' } }, 'attrs.reason', 'must be one of'],
    [{ ...accepted, kind: 'petition', type: 'extended', attrs: { days: 31 } }, 'attrs.days', '<= 30'],
    [{ ...accepted, kind: 'enforcement', type: 'penalty', attrs: { amount: 5, min: 10, max: 1 } }, 'attrs.max', '≥ min'],
    [{ ...accepted, kind: 'supervision', type: 'assigned', attrs: { title: 't', dueAt: 'tomorrow' } }, 'attrs.dueAt', 'RFC 3339'],
  ])('rejects %# naming the field', (input, field, message) => {
    const v = validateEvent(input)
    expect(v.ok).toBe(false)
    if (!v.ok) {
      expect(v.field).toBe(field)
      expect(v.message).toContain(message)
    }
  })

  it('rejects what is not an object', () => {
    for (const x of [null, 3, 'x', [accepted]]) expect(validateEvent(x)).toMatchObject({ ok: false, field: '(event)' })
  })
})
