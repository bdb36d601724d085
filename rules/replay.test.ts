import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { defaultContext } from './context.ts'
import { replay } from './replay.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const examples = `${root}common/contract/examples/`
const UNTIL = '2026-12-31T00:00:00+08:00'
const names = readdirSync(examples).filter((f) => f.endsWith('.expected.jsonl') && !f.endsWith('.kpi.expected.jsonl')).map((f) => f.replace('.expected.jsonl', ''))

/** normal compares instants, not spellings of them (contract §6). */
function normal(lines: string): Array<Record<string, unknown>> {
  return lines.split('\n').filter((l) => l.trim()).map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>
    return { ...o, at: Date.parse(String(o.at)) }
  })
}

function cli(file: string, tz: string): string {
  return execFileSync('node', [`${root}bin/jiancha.js`, 'replay', file, '--until', UNTIL], { encoding: 'utf8', env: { ...process.env, TZ: tz } })
}

describe('jiancha replay on the contract examples', () => {
  it('covers every example', () => expect(names.sort()).toEqual(['every-rule', 'national-day', 'petitions']))

  it.each(names)('prints exactly the expected alerts for %s', (name) => {
    const out = cli(`${examples}${name}.jsonl`, 'Asia/Shanghai')
    expect(normal(out)).toEqual(normal(readFileSync(`${examples}${name}.expected.jsonl`, 'utf8')))
    // printed in the platform zone, +08:00
    for (const l of out.trim().split('\n')) expect(JSON.parse(l).at).toMatch(/\+08:00$/)
  })

  it.each(names)('gives the same output whatever the process time zone: %s', (name) => {
    const file = `${examples}${name}.jsonl`
    expect(cli(file, 'UTC')).toBe(cli(file, 'Asia/Shanghai'))
    expect(cli(file, 'America/New_York')).toBe(cli(file, 'Asia/Shanghai'))
  })
})

describe('jiancha replay at a card\'s very instant', () => {
  it('prints approval.long_suspension once when the resumed event comes at the instant the suspension falls due', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jiancha-replay-')), 'suspension.jsonl')
    const ev = (id: string, type: string, at: string, attrs?: Record<string, unknown>) =>
      JSON.stringify({ id, source: 't', kind: 'approval', type, caseId: 'A-1', dept: 'market', at, ...(attrs ? { attrs } : {}) })
    writeFileSync(file, [
      ev('a1', 'accepted', '2026-11-10T00:00:00+08:00', { itemCode: 'M', itemName: '食品经营许可', promisedDays: 20, legalDays: 20 }),
      ev('a2', 'suspended', '2026-11-10T10:00:00+08:00', { reason: 'correction' }),
      // ten working days from 11-11 end with 11-24: the suspension is due at 11-25 00:00, and this comes too late
      ev('a3', 'resumed', '2026-11-25T00:00:00+08:00'),
    ].join('\n'))
    const out = cli(file, 'Asia/Shanghai').trim().split('\n').map((l) => JSON.parse(l) as { rule: string; at: string })
    expect(out.map((l) => `${l.rule} ${l.at}`)).toEqual([
      'approval.long_suspension 2026-11-25T00:00:00+08:00',
      // the clock counts again from 11-25: 18 working days end with 12-18, 20 with 12-22
      'approval.due_soon 2026-12-19T00:00:00+08:00',
      'approval.overdue 2026-12-23T00:00:00+08:00',
    ])
  })
})

describe('replay', () => {
  const ctx = defaultContext()
  const text = readFileSync(`${examples}national-day.jsonl`, 'utf8').split('\n')

  it('is deterministic and independent of line order', () => {
    const a = replay(text, Date.parse(UNTIL), ctx).alerts
    const shuffled = [...text].reverse()
    expect(replay(shuffled, Date.parse(UNTIL), ctx).alerts).toEqual(a)
  })

  it('stops the virtual clock at --until', () => {
    const early = replay(text, Date.parse('2026-10-10T00:00:00+08:00'), ctx).alerts
    expect(early.map((a) => a.rule)).toEqual(['approval.fee_mismatch', 'approval.due_soon', 'approval.due_soon', 'approval.out_of_order'])
  })

  it('reports bad lines with their number and field, and still runs the good ones', () => {
    const r = replay([...text, '{"id":"x"}', 'not json'], Date.parse(UNTIL), ctx)
    expect(r.alerts).toHaveLength(6)
    expect(r.errors).toEqual([
      { line: text.length + 1, field: 'source', message: 'is required' },
      expect.objectContaining({ line: text.length + 2, field: '(line)' }),
    ])
  })
})
