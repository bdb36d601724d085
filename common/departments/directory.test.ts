import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { DeptDirectory } from './directory.ts'
import { saveDepartments } from './store.ts'

const market = { code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision' as const, parent: null, active: true }
const opts = { actor: 'test', via: 'test', at: Date.parse('2026-11-24T02:00:00Z') }

describe('a fixed directory', () => {
  it('names registered codes in both languages and nothing else', () => {
    const d = DeptDirectory.of([{ ...market, updatedAt: new Date(0) }, { ...market, code: 'old', nameZh: '旧局', active: false, updatedAt: new Date(0) }])
    expect(d.nameOf('market')).toBe('市场监管局')
    expect(d.nameOf('market', 'en')).toBe('Market Regulation Bureau')
    expect(d.nameOf('tax')).toBeUndefined()
    expect(d.nameOf('toString')).toBeUndefined()
    expect(d.has('old')).toBe(true)
    expect(d.names()).toEqual({
      market: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' },
      old: { 'zh-CN': '旧局', en: 'Market Regulation Bureau', active: false },
    })
  })
})

describe.each(openTestDbs())('a directory over the registry on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('loads the registry, and refresh tells listeners only of a change', async () => {
    const d = await DeptDirectory.load(db)
    expect(d.list()).toEqual([])
    let told = 0
    const off = d.onChange(() => told++)
    await saveDepartments(db, [{ dept: market }], opts)
    expect(d.nameOf('market')).toBeUndefined()
    expect(await d.refresh()).toBe(true)
    expect(d.nameOf('market')).toBe('市场监管局')
    expect(await d.refresh()).toBe(false)
    expect(told).toBe(1)
    off()
    await saveDepartments(db, [{ dept: { ...market, active: false } }], { ...opts, at: opts.at + 1 })
    expect(await d.refresh()).toBe(true)
    expect(told).toBe(1)
    expect(d.names().market!.active).toBe(false)
  })

  it('watch picks up a change made elsewhere, within one interval', async () => {
    const d = await DeptDirectory.load(db)
    const changed = new Promise<void>((ok) => d.onChange(ok))
    const stop = d.watch(20)
    try {
      await saveDepartments(db, [{ dept: { ...market, code: 'tax', nameZh: '税务局' } }], opts)
      await changed
      expect(d.nameOf('tax')).toBe('税务局')
    } finally {
      stop()
    }
  })
})
