import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../../common/audit/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { auditWriter } from './consoleAudit.ts'

describe.each(openTestDbs())('auditWriter on $name', ({ open }) => {
  let db: Db
  const T = Date.parse('2026-03-02T02:00:00Z')
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db?.close())

  const rows = async () =>
    (await db.query<{ at: Date; actor: string; action: string; subject: string; detail: unknown }>('SELECT at, actor, action, subject, detail FROM audit_log ORDER BY seq')).rows

  it('appends an entry at the clock\'s instant, in a transaction of its own', async () => {
    await auditWriter(db, () => T)({ actor: 'wang', action: 'silence.created', subject: 'silence:s1', detail: { reason: '系统维护' } })
    expect(await rows()).toEqual([{ at: new Date(T), actor: 'wang', action: 'silence.created', subject: 'silence:s1', detail: { reason: '系统维护' } }])
  })

  it('joins the caller\'s transaction when given one, so a failed change leaves no entry', async () => {
    const audit = auditWriter(db, () => T + 1000)
    await expect(db.transaction(async (tx) => {
      await audit({ actor: 'root', action: 'contact.updated', subject: 'contact:health/duty', detail: {} }, tx)
      throw new Error('the change failed')
    })).rejects.toThrow('the change failed')
    expect((await rows()).map((r) => r.action)).toEqual(['silence.created'])
    await db.transaction((tx) => audit({ actor: 'root', action: 'contact.updated', subject: 'contact:health/duty', detail: {} }, tx))
    expect((await rows()).map((r) => r.action)).toEqual(['silence.created', 'contact.updated'])
    expect(await verifyAudit(db)).toMatchObject({ ok: true })
  })
})
