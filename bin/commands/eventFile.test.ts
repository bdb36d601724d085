import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readEventFile } from './eventFile.ts'

const dir = mkdtempSync(join(tmpdir(), 'jiancha-events-'))

describe('readEventFile', () => {
  it('reads the events of a JSON Lines file and its bad lines with their numbers', async () => {
    const file = join(dir, 'events.jsonl')
    const ev = { id: 'e1', source: 'hall', kind: 'approval', type: 'submitted', caseId: 'A-1', dept: 'market', at: '2026-11-02T10:00:00+08:00', attrs: { itemCode: 'X' } }
    writeFileSync(file, `${JSON.stringify(ev)}\r\n\n{"id":"x"}\nnot json`)
    const r = await readEventFile(file)
    expect(r.events.map((e) => [e.ev.id, e.t, e.seq])).toEqual([['e1', Date.parse(ev.at), 1]])
    expect(r.errors).toEqual([{ line: 3, field: 'source', message: 'is required' }, expect.objectContaining({ line: 4, field: '(line)' })])
  })

  it('names a file that is missing or not a file', async () => {
    await expect(readEventFile(join(dir, 'none.jsonl'))).rejects.toThrow(`cannot read ${join(dir, 'none.jsonl')}: no such file`)
    await expect(readEventFile(dir)).rejects.toThrow(`cannot read ${dir}: not a file`)
  })
})
