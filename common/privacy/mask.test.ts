import { describe, expect, it } from 'vitest'
import { maskIdNumber, maskName, maskPersonal, maskPhone, maskText } from './mask.ts'

describe('masking personal data', () => {
  it('keeps the first character of a name', () => {
    expect(maskName('张三丰')).toBe('张**')
    expect(maskName('张三')).toBe('张*')
    expect(maskName('李')).toBe('李*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('𠀋明')).toBe('𠀋*')
    expect(maskName('')).toBe('')
  })

  it('keeps the first 3 and last 4 digits of a phone', () => {
    expect(maskPhone('13800000000')).toBe('138****0000')
    expect(maskPhone('138-0000-1234')).toBe('138****1234')
    expect(maskPhone('+86 139 1234 5678')).toBe('139****5678')
    expect(maskPhone('010-62345678')).toBe('010****5678')
    expect(maskPhone('12345')).toBe('*****')
  })

  it('keeps the first 6 and last 4 characters of an 18-character id', () => {
    expect(maskIdNumber('11010119900307123X')).toBe('110101********123X')
    expect(maskIdNumber('110101900307123')).toBe('110**********23')
  })

  it('masks id-card and mobile numbers inside free text, not other numbers', () => {
    expect(maskText('身份证 110101199003071234，电话13912345678，案卷号 2026000123')).toBe(
      '身份证 110101********1234，电话139****5678，案卷号 2026000123',
    )
    expect(maskText('order 1234567890123456789012')).toBe('order 1234567890123456789012')
  })

  it('masks a petition event at any depth and leaves the original untouched', () => {
    const ev = {
      id: 'e-110101199003071234',
      kind: 'petition',
      type: 'registered',
      caseId: 'P-1',
      dept: 'health',
      at: '2026-03-02T09:00:00+08:00',
      attrs: {
        petitionerId: 'opaque-7',
        petitionerName: '王小明',
        phone: '13800000000',
        subject: '来电 13700001111 反映，身份证号 44030419851201002x',
        family: [{ petitionerName: '王大明', idCard: '440304198512010021', Phone: 13911112222 }],
        count: 13800000000,
      },
    }
    const copy = structuredClone(ev)
    expect(maskPersonal(ev)).toEqual({
      ...ev,
      attrs: {
        petitionerId: 'opaque-7',
        petitionerName: '王**',
        phone: '138****0000',
        subject: '来电 137****1111 反映，身份证号 440304********002x',
        family: [{ petitionerName: '王**', idCard: '440304********0021', Phone: '139****2222' }],
        count: 13800000000,
      },
    })
    expect(ev).toEqual(copy)
  })
})
