import { describe, expect, it } from 'vitest'
import { departmentInput, draftOf, emptyDepartment } from './departmentForm.ts'

const good = { ...emptyDepartment('water'), nameZh: ' 水务局 ', nameEn: 'Water Bureau', kind: 'service' as const }

describe('departmentInput', () => {
  it('builds the request, trimmed, no parent as null', () => {
    expect(departmentInput(good)).toEqual({ input: { code: 'water', names: { 'zh-CN': '水务局', en: 'Water Bureau' }, kind: 'service', parent: null, active: true } })
    expect(departmentInput({ ...good, parent: 'gov', active: false })).toMatchObject({ input: { parent: 'gov', active: false } })
  })

  it('names what to fix', () => {
    expect(departmentInput({ ...good, code: '水务' })).toEqual({ problem: { key: 'depts.badCode', vars: { n: 100 } } })
    expect(departmentInput({ ...good, code: 'x'.repeat(101) })).toMatchObject({ problem: { key: 'depts.badCode' } })
    expect(departmentInput({ ...good, nameZh: ' ' })).toEqual({ problem: { key: 'depts.needNameZh' } })
    expect(departmentInput({ ...good, nameZh: '水'.repeat(21) })).toEqual({ problem: { key: 'depts.nameZhLong', vars: { n: 20 } } })
    expect(departmentInput({ ...good, nameEn: '' })).toEqual({ problem: { key: 'depts.needNameEn' } })
    expect(departmentInput({ ...good, parent: 'water' })).toEqual({ problem: { key: 'depts.selfParent' } })
  })
})

describe('draftOf', () => {
  it('fills the form with a registered department, and gives it back unchanged', () => {
    const view = { code: 'tax', names: { 'zh-CN': '税务局', en: 'Tax Bureau' }, kind: 'enforcement' as const, parent: 'gov', active: false, updatedAt: '2026-11-24T10:00:00+08:00' }
    const r = departmentInput(draftOf(view))
    expect(r).toEqual({ input: { code: 'tax', names: view.names, kind: 'enforcement', parent: 'gov', active: false } })
  })
})
