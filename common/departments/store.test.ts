import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { verifyAudit } from '../audit/index.ts'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import type { DeptInput } from './department.ts'
import { parseDepartmentsFile } from './file.ts'
import { DeptExistsError, findDepartment, listDepartments, saveDepartments, UnknownDeptError, type SaveOptions } from './store.ts'

const FILE = parseDepartmentsFile(readFileSync(new URL('./testdata/departments.csv', import.meta.url), 'utf8'), 'departments.csv')
const AT = Date.parse('2026-11-24T10:00:00+08:00')
const IMPORT: SaveOptions = { actor: 'alice', via: 'import', at: AT, file: 'departments.csv' }
const dept = (code: string, more: Partial<DeptInput> = {}): DeptInput => ({ code, nameZh: `${code}局`, nameEn: `${code} bureau`, kind: 'other', parent: null, active: true, ...more })

describe.each(openTestDbs())('department store on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    // The audit trail refuses deletes; each test adds to it, and counts from where it starts.
    await db.query('DELETE FROM departments')
  })

  const audits = async (since: number) =>
    (await db.query<{ actor: string; action: string; subject: string; detail: Record<string, unknown> }>(
      'SELECT actor, action, subject, detail FROM audit_log WHERE seq > $1 ORDER BY seq', [since],
    )).rows
  const head = async () => Number((await db.query<{ seq: number }>('SELECT seq FROM audit_head')).rows[0]!.seq)

  it('imports a file whole, parents after or before their children, and audits each department', async () => {
    const from = await head()
    const r = await saveDepartments(db, [...FILE].reverse(), IMPORT)
    expect(r.created.map((d) => d.code).sort()).toEqual(['gov', 'hall', 'market', 'tax'])
    expect((await listDepartments(db)).map((d) => d.code)).toEqual(['gov', 'hall', 'market'])
    expect((await listDepartments(db, { all: true })).map((d) => d.code)).toEqual(['gov', 'hall', 'market', 'tax'])
    expect(await findDepartment(db, 'market')).toEqual({
      code: 'market', nameZh: '市场监管局', nameEn: 'Market Regulation Bureau', kind: 'supervision', parent: 'gov', active: true, updatedAt: new Date(AT),
    })
    const rows = await audits(from)
    expect(rows.map((a) => `${a.action} ${a.subject}`)).toEqual(['dept.created dept:tax', 'dept.created dept:hall', 'dept.created dept:market', 'dept.created dept:gov', 'dept.imported dept-file:departments.csv'])
    expect(rows[0]).toMatchObject({ actor: 'alice', detail: { via: 'import', file: 'departments.csv', name_zh: '税务局', name_en: 'Tax Bureau, City Branch', kind: 'enforcement', parent: null, active: false } })
    expect(rows[4]!.detail).toEqual({ via: 'import', created: 4, updated: 0, unchanged: 0 })
    expect((await verifyAudit(db)).ok).toBe(true)
  })

  it('changes nothing, audit included, when the same file is imported again', async () => {
    await saveDepartments(db, FILE, IMPORT)
    const from = await head()
    const r = await saveDepartments(db, FILE, { ...IMPORT, at: AT + 60_000 })
    expect(r).toEqual({ created: [], updated: [], unchanged: ['gov', 'market', 'hall', 'tax'] })
    expect(await head()).toBe(from)
    expect((await findDepartment(db, 'gov'))!.updatedAt).toEqual(new Date(AT))
  })

  it('changes what differs, keeps what the file leaves out, and audits each field from → to', async () => {
    await saveDepartments(db, FILE, IMPORT)
    const from = await head()
    const r = await saveDepartments(db, [{ dept: { ...FILE[1]!.dept, nameZh: '市场监督管理局', active: false } }], { ...IMPORT, at: AT + 1 })
    expect(r.updated.map((u) => u.changes)).toEqual([{ name_zh: { from: '市场监管局', to: '市场监督管理局' }, active: { from: true, to: false } }])
    expect((await listDepartments(db, { all: true })).map((d) => d.code)).toEqual(['gov', 'hall', 'market', 'tax'])
    expect((await audits(from)).map((a) => [a.action, a.subject, a.detail])).toEqual([
      ['dept.updated', 'dept:market', { via: 'import', file: 'departments.csv', changes: { name_zh: { from: '市场监管局', to: '市场监督管理局' }, active: { from: true, to: false } } }],
      ['dept.imported', 'dept-file:departments.csv', { via: 'import', created: 0, updated: 1, unchanged: 0 }],
    ])
  })

  it('keeps the stored parent and state of a known department where the entry gives none', async () => {
    await saveDepartments(db, FILE, IMPORT)
    const r = await saveDepartments(db, [{ dept: { ...FILE[3]!.dept, nameZh: '税务分局', parent: null, active: true }, given: new Set() }], IMPORT)
    expect(r.updated.map((u) => u.changes)).toEqual([{ name_zh: { from: '税务局', to: '税务分局' } }])
    expect(await findDepartment(db, 'tax')).toMatchObject({ nameZh: '税务分局', active: false })
    await saveDepartments(db, [{ dept: dept('new1'), given: new Set() }], IMPORT)
    expect(await findDepartment(db, 'new1')).toMatchObject({ parent: null, active: true })
  })

  it('applies nothing of a batch with one bad entry, naming it', async () => {
    const from = await head()
    const items = [{ dept: dept('a'), where: 'line 2' }, { dept: dept('b', { parent: 'nowhere' }), where: 'line 3' }]
    await expect(saveDepartments(db, items, IMPORT)).rejects.toThrow('line 3: parent "nowhere" is not a registered department, nor in this batch')
    expect(await listDepartments(db, { all: true })).toEqual([])
    expect(await head()).toBe(from)
  })

  it('refuses a loop of parents and a platform list', async () => {
    await saveDepartments(db, [{ dept: dept('a') }, { dept: dept('b', { parent: 'a' }) }], IMPORT)
    await expect(saveDepartments(db, [{ dept: dept('a', { parent: 'b' }), where: 'line 2' }], IMPORT)).rejects.toThrow('line 2: parent "b" makes a loop: a → b → a')
    const reserved = new Set(['inspection'])
    await expect(saveDepartments(db, [{ dept: dept('inspection') }], { ...IMPORT, reserved })).rejects.toThrow('code "inspection" is one of the platform\'s own contact lists, not a department')
    await expect(saveDepartments(db, [{ dept: dept('c', { parent: 'inspection' }) }], { ...IMPORT, reserved })).rejects.toThrow('parent "inspection" is one of the platform')
  })

  it('creates only new codes, updates only known ones, and inserts only the missing', async () => {
    const console = { actor: 'zhao', via: 'console', at: AT }
    await saveDepartments(db, [{ dept: dept('a') }], { ...console, mode: 'create' })
    await expect(saveDepartments(db, [{ dept: dept('a') }], { ...console, mode: 'create' })).rejects.toBeInstanceOf(DeptExistsError)
    await expect(saveDepartments(db, [{ dept: dept('z') }], { ...console, mode: 'update' })).rejects.toBeInstanceOf(UnknownDeptError)
    await saveDepartments(db, [{ dept: dept('a', { nameZh: '甲局' }) }], { ...console, mode: 'update' })
    const from = await head()
    const r = await saveDepartments(db, [{ dept: dept('a') }, { dept: dept('b') }], { actor: 'demo', via: 'demo', at: AT, mode: 'insertMissing' })
    expect(r.created.map((d) => d.code)).toEqual(['b'])
    expect(r.unchanged).toEqual(['a'])
    expect((await findDepartment(db, 'a'))!.nameZh).toBe('甲局')
    expect((await audits(from)).map((a) => `${a.action} ${a.subject} ${a.actor}`)).toEqual(['dept.created dept:b demo'])
  })

  it('lets the database refuse what no check should let through', async () => {
    await expect(db.query("INSERT INTO departments (code, name_zh, name_en, kind) VALUES ('市场', '甲', 'A', 'other')")).rejects.toThrow()
    await expect(db.query("INSERT INTO departments (code, name_zh, name_en, kind) VALUES ('a', '甲', 'A', 'bureau')")).rejects.toThrow()
    await expect(db.query("INSERT INTO departments (code, name_zh, name_en, kind, parent) VALUES ('a', '甲', 'A', 'other', 'nowhere')")).rejects.toThrow()
  })
})
