import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../../alerts/index.ts'
import { acceptedType, checkRectification, MAX_FILE_BYTES } from './uploadCheck.ts'

const TEXT = '已补办审批登记手续并完成整改'
const png = (name = 'a.png', size = 100) => ({ name, size, type: 'image/png' })

describe('upload check', () => {
  it('uses the server limits', () => {
    expect(MAX_FILE_BYTES).toBe(DEFAULT_LIMITS.maxBytes)
  })

  it('accepts a long enough text with up to five small PDF/PNG/JPEG files', () => {
    expect(checkRectification(TEXT, [])).toBeNull()
    expect(checkRectification(TEXT, [png(), { name: 'b.pdf', size: 1, type: 'application/pdf' }, { name: 'c.JPG', size: 1, type: '' }])).toBeNull()
  })

  it('wants at least ten characters of text, not counting spaces around', () => {
    expect(checkRectification('  已整改  ', [])).toEqual({ code: 'text_short', min: 10 })
    expect(checkRectification('一二三四五六七八九十', [])).toBeNull()
  })

  it('refuses a sixth file', () => {
    expect(checkRectification(TEXT, Array.from({ length: 6 }, (_, i) => png(`${i}.png`)))).toEqual({ code: 'too_many', max: 5 })
  })

  it('names the file that is not a PDF, PNG or JPEG', () => {
    expect(checkRectification(TEXT, [png(), { name: 'setup.exe', size: 10, type: 'application/x-msdownload' }])).toEqual({ code: 'bad_type', file: 'setup.exe' })
    expect(acceptedType({ name: 'x.docx', size: 1, type: '' })).toBe(false)
  })

  it('names the file that is larger than 10 MB, or empty', () => {
    expect(checkRectification(TEXT, [png('scan.png', MAX_FILE_BYTES + 1)])).toEqual({ code: 'too_large', file: 'scan.png' })
    expect(checkRectification(TEXT, [png('empty.png', 0)])).toEqual({ code: 'empty', file: 'empty.png' })
    expect(checkRectification(TEXT, [png('max.png', MAX_FILE_BYTES)])).toBeNull()
  })
})
