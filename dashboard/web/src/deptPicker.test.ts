import { describe, expect, it } from 'vitest'
import { pickableDepts } from './deptPicker.ts'

describe('pickableDepts', () => {
  it('offers the named departments by code, but not the deactivated', () => {
    expect(pickableDepts({
      tax: { 'zh-CN': '税务局', en: 'Tax' },
      old: { 'zh-CN': '旧局', en: 'Old', active: false },
      market: { 'zh-CN': '市场监管局', en: 'Market', active: true },
    })).toEqual(['market', 'tax'])
  })
})
