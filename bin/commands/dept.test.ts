import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../common/config/index.ts'
import { embeddedDataDir } from '../../test-support/embeddedDataDir.ts'
import { runCommand } from '../command.ts'
import { openConfiguredDb } from '../infra.ts'
import { deptCommand } from './dept.ts'

const CSV = fileURLToPath(new URL('../../common/departments/testdata/departments.csv', import.meta.url))
const YAML = fileURLToPath(new URL('../../common/departments/testdata/departments.yaml', import.meta.url))

/** run runs `jiancha dept ARGS` and returns what it printed. */
async function run(...args: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  try {
    return { code: await runCommand('dept', deptCommand, args), out }
  } finally {
    spy.mockRestore()
  }
}

describe('jiancha dept on an embedded database', () => {
  const dir = embeddedDataDir('jiancha-dept-')
  beforeAll(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  })
  afterAll(() => {
    vi.restoreAllMocks()
  })

  /** audit reads the trail's department rows. */
  async function audit(): Promise<Array<{ actor: string; action: string; subject: string }>> {
    const db = await openConfiguredDb(loadConfig({}), () => {})
    try {
      return (await db.query<{ actor: string; action: string; subject: string }>("SELECT actor, action, subject FROM audit_log WHERE action LIKE 'dept.%' ORDER BY seq")).rows
    } finally {
      await db.close()
    }
  }

  it('says so when nothing is registered', async () => {
    expect((await run('list', '--all')).out).toBe('no department is registered: import some with "jiancha dept import FILE"\n')
  })

  it('imports a CSV file and says what it added', async () => {
    const r = await run('import', CSV, '--by', 'alice')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`imported ${CSV}: 4 added, 0 changed, 0 unchanged`)
    expect(r.out).toContain('  + market  市场监管局\n')
    expect(r.out).toContain('  + tax  税务局  (inactive)\n')
    expect((await audit()).map((a) => `${a.actor} ${a.action} ${a.subject}`)).toEqual([
      'alice dept.created dept:gov', 'alice dept.created dept:market', 'alice dept.created dept:hall', 'alice dept.created dept:tax', 'alice dept.imported dept-file:departments.csv',
    ])
  })

  it('lists the active departments as a table, and every one with --all', async () => {
    const r = await run('list')
    expect(r.out.split('\n')[0]).toMatch(/^code +name_zh +name_en +kind +parent$/)
    expect(r.out).toMatch(/^market +市场监管局 +Market Regulation Bureau +supervision 监管 +gov$/m)
    expect(r.out).not.toContain('税务局')
    expect((await run('list', '--all')).out).toMatch(/^tax +税务局 +Tax Bureau, City Branch +enforcement 执法 +- +inactive$/m)
  })

  it('lists JSON in the shape of the API', async () => {
    const list = JSON.parse((await run('list', '--all', '--json')).out)
    expect(list.map((d: { code: string }) => d.code)).toEqual(['gov', 'hall', 'market', 'tax'])
    expect(list[2]).toEqual({
      code: 'market', names: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' }, kind: 'supervision', parent: 'gov', active: true,
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+\+08:00$/),
    })
  })

  it('changes nothing when the same departments come again, in YAML', async () => {
    const before = (await audit()).length
    const r = await run('import', YAML)
    expect(r.out).toBe(`imported ${YAML}: 0 added, 0 changed, 4 unchanged\n`)
    expect(await audit()).toHaveLength(before)
  })

  it('changes what a file changes, deactivating one, and keeps what it leaves out', async () => {
    const file = join(dir(), 'change.csv')
    writeFileSync(file, 'code,name_zh,name_en,kind,active\nmarket,市场监督管理局,Market Regulation Bureau,supervision,false\n')
    const r = await run('import', file, '--by', 'bob')
    expect(r.out).toContain('0 added, 1 changed, 0 unchanged')
    // parent is not a column of this file: market still belongs to gov.
    expect(r.out).toContain('  ~ market  name_zh "市场监管局" → "市场监督管理局"; active true → false\n')
    expect((await run('list', '--all')).out).toMatch(/^market +市场监督管理局 .* gov +inactive$/m)
    const all = (await run('list', '--all')).out
    for (const code of ['gov', 'hall', 'market', 'tax']) expect(all).toMatch(new RegExp(`^${code} `, 'm'))
    expect((await audit()).slice(-2).map((a) => `${a.actor} ${a.action} ${a.subject}`)).toEqual(['bob dept.updated dept:market', 'bob dept.imported dept-file:change.csv'])
  })

  it('refuses a bad file whole, naming the line and the field', async () => {
    const before = (await audit()).length
    const file = join(dir(), 'bad.csv')
    writeFileSync(file, 'code,name_zh,name_en,kind\nwater,水务局,Water Bureau,other\nedu,教育局,Education Bureau,other\n市场,市场监管局,Market,supervision\n')
    await expect(run('import', file)).rejects.toThrow(`${file} line 4: code "市场" must be a code`)
    const orphan = join(dir(), 'orphan.csv')
    writeFileSync(orphan, 'code,name_zh,name_en,kind,parent\nwater,水务局,Water Bureau,other,\nsub,水务分局,Water Branch,other,nowhere\n')
    await expect(run('import', orphan)).rejects.toThrow(`${orphan} line 3: parent "nowhere" is not a registered department, nor in this batch`)
    const lists = join(dir(), 'lists.csv')
    writeFileSync(lists, 'code,name_zh,name_en,kind\ninspection,纪检监察室,Inspection,supervision\n')
    await expect(run('import', lists)).rejects.toThrow(`${lists} line 2: code "inspection" is one of the platform's own contact lists`)
    expect((await run('list', '--all')).out).not.toContain('water')
    expect(await audit()).toHaveLength(before)
  })

  it('takes --format for a file whose name says nothing', async () => {
    const file = join(dir(), 'export.txt')
    copyFileSync(CSV, file)
    await expect(run('import', file)).rejects.toThrow(`${file}: cannot tell the format from the name`)
    // The example gives active for market (true): the change above is undone.
    expect((await run('import', file, '--format', 'csv')).out).toContain('0 added, 1 changed, 3 unchanged')
    await expect(run('import', file, '--format', 'xlsx')).rejects.toThrow('--format must be csv or yaml, got "xlsx"')
  })

  it('gives clear errors for a missing file and bad usage', async () => {
    await expect(run('import', join(dir(), 'nope.csv'))).rejects.toThrow(/cannot read .*nope\.csv: no such file/)
    await expect(run('import')).rejects.toThrow('import needs exactly one FILE')
    await expect(run('list', 'x')).rejects.toThrow('list takes no arguments')
    await expect(run('frob')).rejects.toThrow('unknown subcommand "frob"')
    await expect(run()).rejects.toThrow('missing subcommand')
    const help = await run('--help')
    expect(help.out).toContain('is NOT deleted: to retire one, list it with\n                active false')
  })
})
