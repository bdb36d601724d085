import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { GENESIS } from './chain.ts'
import { checkpointsAfter, latestCheckpoint, startCheckpoints, writeCheckpoint } from './checkpoints.ts'
import { appendAll, resetAudit, SAMPLE } from './testing.ts'
import { appendAudit } from './log.ts'
import { signedBy } from './signature.ts'

const KEY = 'checkpoint-test-key-0123456789abcdef'
const T = Date.UTC(2026, 11, 3, 8)
const quiet = { info: () => {}, warn: () => {} }

describe.each(openTestDbs())('audit checkpoints on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await resetAudit(db)
  })

  it('signs the head only when rows were appended since the last checkpoint', async () => {
    expect(await writeCheckpoint(db, KEY, T)).toBeNull() // an empty trail
    const hashes = await appendAll(db, SAMPLE.slice(0, 3))
    const first = await writeCheckpoint(db, KEY, T)
    expect(first).toMatchObject({ seq: 3, hash: hashes[2], prevMac: GENESIS })
    expect(signedBy(KEY, first!)).toBe(true)
    expect(await writeCheckpoint(db, KEY, T + 1000)).toBeNull()
    await appendAll(db, SAMPLE.slice(3, 5))
    const second = await writeCheckpoint(db, KEY, T + 2000)
    expect(second).toMatchObject({ seq: 5, prevMac: first!.mac })
    expect(await latestCheckpoint(db)).toEqual(second)
    expect((await checkpointsAfter(db, -1, 10)).map((c) => [c.seq, c.rowHash === c.hash])).toEqual([[3, true], [5, true]])
  })

  it('refuses to let a checkpoint be changed or removed, like the trail itself', async () => {
    await appendAll(db, SAMPLE.slice(0, 2))
    await writeCheckpoint(db, KEY, T)
    await expect(db.query(`UPDATE audit_checkpoints SET mac = 'x'`)).rejects.toThrow(/append-only/)
    await expect(db.query('DELETE FROM audit_checkpoints')).rejects.toThrow(/append-only/)
  })

  it('runs on a timer, signs once more on stop, and copies each checkpoint to the anchor file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiancha-anchor-'))
    try {
      const anchorFile = join(dir, 'anchors.jsonl')
      await appendAll(db, SAMPLE.slice(0, 2))
      const cp = startCheckpoints({ db, key: KEY, now: () => T, everyMs: 20, anchorFile, log: quiet })
      await new Promise((r) => setTimeout(r, 150))
      // Both in one transaction: a timer's checkpoint between two of them would sign seq 3.
      await db.transaction(async (tx) => {
        for (const e of SAMPLE.slice(2, 4)) await appendAudit(tx, e)
      })
      await cp.stop()
      const lines = readFileSync(anchorFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string })
      expect(lines.map((l) => l.seq)).toEqual([2, 4])
      expect(lines[1]!.hash).toBe((await latestCheckpoint(db))!.hash)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
