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

  describe('the bounds of contract v1.1', () => {
    const penalty = { ...accepted, kind: 'enforcement', type: 'penalty', attrs: { amount: 5, min: 1, max: 10 } }
    it.each([
      [{ ...accepted, attrs: { ...accepted.attrs, promisedDays: 3651, legalDays: 3651 } }, 'attrs.promisedDays', '<= 3650'],
      [{ ...accepted, attrs: { ...accepted.attrs, promisedDays: 1e308, legalDays: 1e308 } }, 'attrs.promisedDays', '<= 3650'],
      [{ ...accepted, attrs: { ...accepted.attrs, legalDays: 3651 } }, 'attrs.legalDays', '<= 3650'],
      [{ ...accepted, attrs: { ...accepted.attrs, feeStandard: 1e12 + 1 } }, 'attrs.feeStandard', '<= 1000000000000'],
      [{ ...accepted, kind: 'enforcement', type: 'filed', attrs: { limitDays: 1_000_000 } }, 'attrs.limitDays', '<= 3650'],
      [{ ...penalty, attrs: { amount: 2e12, min: 1, max: 10 } }, 'attrs.amount', '<= 1000000000000'],
      [{ ...accepted, type: 'fee', attrs: { amount: 1e13 } }, 'attrs.amount', '<= 1000000000000'],
      [{ ...accepted, at: '1999-12-31T23:59:59+08:00' }, 'at', 'between 2000 and 2099'],
      [{ ...accepted, at: '2100-01-01T00:00:00+08:00' }, 'at', 'between 2000 and 2099'],
      [{ ...accepted, kind: 'supervision', type: 'assigned', attrs: { title: 't', dueAt: '9999-01-01T00:00:00Z' } }, 'attrs.dueAt', 'between 2000 and 2099'],
      [{ ...accepted, dept: 'market dept' }, 'dept', 'must match pattern'],
      [{ ...accepted, dept: '-market' }, 'dept', 'must match pattern'],
      [{ ...accepted, source: '市场' }, 'source', 'must match pattern'],
      [{ ...accepted, id: 'e\u00001' }, 'id', 'must match pattern'],
      [{ ...accepted, caseId: 'A-1\u202e' }, 'caseId', 'must match pattern'],
      [{ ...accepted, actor: 'officer\n7' }, 'actor', 'must match pattern'],
      [{ ...accepted, attrs: { ...accepted.attrs, itemName: '食品\u0000许可' } }, 'attrs.itemName', 'U+0000'],
      [{ ...accepted, attrs: { ...accepted.attrs, itemName: 'x\ud800' } }, 'attrs.itemName', 'unpaired surrogate'],
      [{ ...accepted, extra: { deep: ['ok', { x: '\udc00y' }] } }, 'extra.deep.1.x', 'unpaired surrogate'],
      [{ ...accepted, attrs: { ...accepted.attrs, ['k\u0000']: 1 } }, 'attrs.k\u0000', 'its name must not contain U+0000'],
    ])('rejects %# naming the field', (input, field, message) => {
      const v = validateEvent(input)
      expect(v.ok).toBe(false)
      if (!v.ok) {
        expect(v.field).toBe(field)
        expect(v.message).toContain(message)
      }
    })

    it('accepts the bounds themselves, codes with _ . : - and paired surrogates', () => {
      for (const input of [
        { ...accepted, dept: 'city.market_1:a-b', source: '9hall', at: '2099-12-31T23:59:59+08:00', attrs: { ...accepted.attrs, promisedDays: 3650, legalDays: 3650, feeStandard: 1e12 } },
        { ...accepted, at: '2000-01-01T00:00:00Z', attrs: { ...accepted.attrs, itemName: '😀 许可' }, extra: { note: 'tab\tis fine here' } },
        { ...penalty, attrs: { amount: 1e12, min: 0, max: 1e12 } },
      ]) expect(validateEvent(input).ok, JSON.stringify(input)).toBe(true)
    })

    it('refuses a value nested deeper than the platform keeps, without overflowing the stack', () => {
      let deep: unknown = '\u0000'
      for (let i = 0; i < 100_000; i++) deep = [deep]
      expect(validateEvent({ ...accepted, extra: deep })).toMatchObject({ ok: false, field: 'extra', message: expect.stringContaining('deeper than 32 levels') })
      let fine: unknown = 'x'
      for (let i = 0; i < 30; i++) fine = { a: fine }
      expect(validateEvent({ ...accepted, extra: fine }).ok).toBe(true)
    })
  })

  it('rejects what is not an object', () => {
    for (const x of [null, 3, 'x', [accepted]]) expect(validateEvent(x)).toMatchObject({ ok: false, field: '(event)' })
  })
})
