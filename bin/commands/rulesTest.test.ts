import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rulesTestCommand } from './rulesTest.ts'

const dir = mkdtempSync(join(tmpdir(), 'rules-test-'))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** run calls the command directly and captures what it prints. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  const code = await rulesTestCommand.run({}, args)
  vi.restoreAllMocks()
  return { code, out, err }
}

afterEach(() => vi.restoreAllMocks())

const test = (expect: string) => `tests:
  - name: 国庆假期顺延
    until: 2026-12-31T00:00:00+08:00
    events:
      - { kind: approval, type: accepted, caseId: A-1, dept: market, at: "2026-09-28T10:00:00+08:00", attrs: { itemCode: M, itemName: 食品经营许可, promisedDays: 5, legalDays: 20 } }
    expect:
      - { rule: approval.due_soon, level: yellow, caseId: A-1, at: "${expect}" }
      - { rule: approval.overdue, level: red, caseId: A-1, at: "2026-10-11T00:00:00+08:00" }
`

describe('jiancha rules test', () => {
  it('prints PASS and a summary, exit 0', async () => {
    const r = await run(file('good.yaml', test('2026-10-09T00:00:00+08:00')))
    expect(r).toEqual({ code: 0, out: 'PASS 国庆假期顺延\n1 passed, 0 failed\n', err: '' })
  })

  it('fails a deliberately wrong expectation with a diff, exit 1', async () => {
    const path = file('wrong.yaml', test('2026-10-08T00:00:00+08:00'))
    const r = await run(path)
    expect(r.code).toBe(1)
    expect(r.out).toContain(`FAIL 国庆假期顺延\n  in ${path}, tests[0]\n`)
    expect(r.out).toContain('  - { rule: approval.due_soon, level: yellow, caseId: A-1, at: 2026-10-08T00:00:00+08:00 }\n')
    expect(r.out).toContain('  + { rule: approval.due_soon, level: yellow, caseId: A-1, dept: market, at: 2026-10-09T00:00:00+08:00 }\n')
    expect(r.out.endsWith('0 passed, 1 failed\n')).toBe(true)
  })

  it('runs several files and accepts a leading "test" word', async () => {
    const r = await run('test', file('a.yaml', test('2026-10-09T00:00:00+08:00')), file('b.yaml', test('2026-10-08T00:00:00+08:00')))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^PASS 国庆假期顺延\nFAIL 国庆假期顺延\n/)
    expect(r.out.endsWith('1 passed, 1 failed\n')).toBe(true)
  })

  it('reads a rules file relative to the test file', async () => {
    file('city.yaml', 'rules:\n  approval.overdue: { enabled: false }\n')
    const text = test('2026-10-09T00:00:00+08:00').replace(/ {6}- \{ rule: approval\.overdue.*\n/, '')
    const r = await run(file('with-rules.yaml', `rules: ./city.yaml\n${text}`))
    expect(r.out).toBe('PASS 国庆假期顺延\n1 passed, 0 failed\n')
    expect(r.code).toBe(0)
  })

  it('exits 2 for a malformed file, naming the test index and key, and still runs the others', async () => {
    const bad = file('bad.yaml', test('2026-10-09T00:00:00+08:00').replace('until: 2026-12-31T00:00:00+08:00', 'until: soon'))
    const r = await run(bad, file('good2.yaml', test('2026-10-09T00:00:00+08:00')))
    expect(r.code).toBe(2)
    expect(r.err).toBe(`${bad}: tests[0].until: must be an RFC 3339 instant with an offset, e.g. "2026-12-31T00:00:00+08:00", got "soon"\n`)
    expect(r.out).toBe('PASS 国庆假期顺延\n1 passed, 0 failed\n')
  })

  it('exits 2 for a missing file or no file at all', async () => {
    expect((await run(join(dir, 'none.yaml'))).err).toBe(`${join(dir, 'none.yaml')}: cannot read: no such file\n`)
    const r = await run()
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/give at least one test FILE\.yaml/)
  })
})
