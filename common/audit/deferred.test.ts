import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { deferAudits, recordAudit } from './deferred.ts'
import { appendAll, resetAudit, SAMPLE } from './testing.ts'
import { verifyAudit } from './verify.ts'

describe.each(openTestDbs())('deferred audit entries on $name', (backend) => {
  let db: Db
  const rows = async () => (await db.query<{ seq: number; action: string; subject: string; hash: string }>('SELECT seq, action, subject, hash FROM audit_log ORDER BY seq')).rows

  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await resetAudit(db)
  })

  it('appends what a transaction gathered at its flush, in order, in the chain appending one by one makes', async () => {
    const one = await appendAll(db)
    await resetAudit(db)
    await db.transaction(async (tx) => {
      const audits = deferAudits(tx)
      for (const e of SAMPLE) await recordAudit(audits.tx, e)
      expect((await tx.query('SELECT seq FROM audit_log')).rows).toEqual([]) // nothing before the flush
      await audits.flush()
    })
    expect((await rows()).map((r) => r.hash)).toEqual(one)
    expect((await verifyAudit(db)).ok).toBe(true)
  })

  it('forgets the entries gathered after a mark it is rolled back to, as a savepoint forgets its rows', async () => {
    await db.transaction(async (tx) => {
      const audits = deferAudits(tx)
      await recordAudit(audits.tx, SAMPLE[0]!)
      const mark = audits.mark()
      await recordAudit(audits.tx, SAMPLE[1]!)
      audits.rollbackTo(mark)
      await recordAudit(audits.tx, SAMPLE[2]!)
      await audits.flush()
    })
    expect((await rows()).map((r) => r.subject)).toEqual([SAMPLE[0]!.subject, SAMPLE[2]!.subject])
    expect((await verifyAudit(db)).ok).toBe(true)
  })

  it('appends at once on a transaction that does not defer, and refuses an entry without a time either way', async () => {
    await db.transaction((tx) => recordAudit(tx, SAMPLE[0]!))
    expect(await rows()).toHaveLength(1)
    const audits = deferAudits(db)
    await expect(recordAudit(audits.tx, { ...SAMPLE[0]!, at: NaN })).rejects.toThrow(/needs a time/)
  })
})
