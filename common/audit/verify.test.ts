import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/index.ts'
import { openTestDbs } from '../db/testing.ts'
import { GENESIS, hashEntry } from './chain.ts'
import { appendAudit } from './log.ts'
import { latestCheckpoint, writeCheckpoint } from './checkpoints.ts'
import { keyIdOf, sign, type Checkpoint } from './signature.ts'
import { appendAll, rechainFrom, resetAudit, SAMPLE, tamper } from './testing.ts'
import { verifyAudit } from './verify.ts'

const N = SAMPLE.length
const UNSIGNED = { checkpoints: 0, lastCheckpoint: null, signaturesChecked: false }

describe.each(openTestDbs())('verifyAudit on $name', (backend) => {
  let db: Db
  let hashes: string[]

  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await resetAudit(db)
    hashes = await appendAll(db)
  })

  it('finds an empty trail intact', async () => {
    await resetAudit(db)
    expect(await verifyAudit(db)).toEqual({ ok: true, rows: 0, head: GENESIS, ...UNSIGNED })
  })

  it('finds an untouched trail intact, batch by batch, reporting progress', async () => {
    const seen: number[] = []
    expect(await verifyAudit(db, { batch: 3, onProgress: (n) => seen.push(n) })).toEqual({ ok: true, rows: N, head: hashes.at(-1), ...UNSIGNED })
    expect(seen).toEqual([3, 6, 8])
    expect(await verifyAudit(db, { batch: N })).toEqual({ ok: true, rows: N, head: hashes.at(-1), ...UNSIGNED })
  })

  it('reports a row whose detail was updated as altered', async () => {
    await tamper(db, `UPDATE audit_log SET detail = jsonb_set(detail, '{reason}', '"无"') WHERE seq = 6`)
    expect(await verifyAudit(db, { batch: 4 })).toEqual({ ok: false, rows: 5, brokenAt: 6, reason: 'row altered' })
  })

  it('reports a changed actor or time as altered', async () => {
    await tamper(db, `UPDATE audit_log SET actor = '某人' WHERE seq = 2`)
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 2, reason: 'row altered' })
    await tamper(db, `UPDATE audit_log SET actor = '张三', at = at + interval '1 millisecond' WHERE seq = 2`)
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 2, reason: 'row altered' })
  })

  it('reports a row altered and re-hashed at the link to the next row', async () => {
    const r = (await db.query<{ prev_hash: string }>('SELECT prev_hash FROM audit_log WHERE seq = 3')).rows[0]!
    const forged = hashEntry(r.prev_hash, { ...SAMPLE[2]!, seq: 3, detail: { text: '伪造' } })
    await tamper(db, `UPDATE audit_log SET detail = '{"text":"伪造"}', hash = '${forged}' WHERE seq = 3`)
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: 3, brokenAt: 4, reason: 'row missing' })
  })

  it('reports a deleted middle row as missing', async () => {
    await tamper(db, 'DELETE FROM audit_log WHERE seq = 5')
    expect(await verifyAudit(db, { batch: 2 })).toEqual({ ok: false, rows: 4, brokenAt: 5, reason: 'row missing' })
  })

  it('reports a deleted middle row as missing even when the later rows were renumbered', async () => {
    await tamper(db, 'DELETE FROM audit_log WHERE seq = 5', 'UPDATE audit_log SET seq = seq - 1 WHERE seq > 5')
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: 4, brokenAt: 5, reason: 'row missing' })
  })

  it('reports a deleted first row as missing', async () => {
    await tamper(db, 'DELETE FROM audit_log WHERE seq = 1')
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: 0, brokenAt: 1, reason: 'row missing' })
  })

  it('reports a first row that does not start from GENESIS', async () => {
    await tamper(db, `UPDATE audit_log SET prev_hash = '${'f'.repeat(64)}' WHERE seq = 1`)
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: 0, brokenAt: 1, reason: 'first row does not start the chain' })
  })

  it('reports deleted last rows as missing at the end', async () => {
    await tamper(db, `DELETE FROM audit_log WHERE seq = ${N}`)
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: N - 1, brokenAt: N, reason: 'rows missing at the end' })
    await tamper(db, `DELETE FROM audit_log WHERE seq > 2`)
    expect(await verifyAudit(db, { batch: 2 })).toEqual({ ok: false, rows: 2, brokenAt: 3, reason: 'rows missing at the end' })
  })

  it('keeps new rows chained over the hole when appending after deleted last rows', async () => {
    await tamper(db, `DELETE FROM audit_log WHERE seq = ${N}`)
    const { seq } = await db.transaction((tx) => appendAudit(tx, SAMPLE[0]!))
    expect(seq).toBe(N + 1)
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: N - 1, brokenAt: N, reason: 'row missing' })
  })

  it('reports rows appended behind the head', async () => {
    const next = hashEntry(hashes.at(-1)!, { ...SAMPLE[0]!, seq: N + 1, detail: {} })
    await db.query(
      `INSERT INTO audit_log (seq, at, actor, action, subject, prev_hash, hash) VALUES ($1, $2, 'system', 'alert.raised', 'alert:S-1:yellow', $3, $4)`,
      [N + 1, new Date(SAMPLE[0]!.at).toISOString(), hashes.at(-1), next],
    )
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: N + 1, reason: 'rows not recorded in the head' })
  })

  it('reports a head that names another hash, or none', async () => {
    await tamper(db, `UPDATE audit_head SET hash = '${'e'.repeat(64)}'`)
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: N, brokenAt: N, reason: 'head does not match the last row' })
    await tamper(db, 'DELETE FROM audit_head')
    expect(await verifyAudit(db)).toEqual({ ok: false, rows: N, brokenAt: N + 1, reason: 'head missing' })
    await expect(db.transaction((tx) => appendAudit(tx, SAMPLE[0]!))).rejects.toThrow(/audit_head is missing/)
    await tamper(db, `INSERT INTO audit_head (id, seq, hash) VALUES (1, ${N}, '${hashes.at(-1)}')`)
  })

  it('catches tampering under session_replication_role = replica too', async () => {
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica')
      await tx.query('DELETE FROM audit_log WHERE seq = 3')
    })
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 3, reason: 'row missing' })
  })

  it('does not mistake appends made while it reads for a broken trail', async () => {
    const appends = Array.from({ length: 20 }, (_, i) =>
      db.transaction((tx) => appendAudit(tx, { at: Date.UTC(2026, 9, 21, 0, 0, i), actor: 'system', action: 'sms.status', subject: `sms:${i}` })),
    )
    const [v] = await Promise.all([verifyAudit(db, { batch: 2 }), ...appends])
    expect(v).toMatchObject({ ok: true })
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: N + 20 })
  })
})

describe.each(openTestDbs())('verifyAudit against signed checkpoints on $name', (backend) => {
  const KEY = 'verify-test-key-0123456789abcdef0123'
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    await resetAudit(db)
    await appendAll(db, SAMPLE.slice(0, 4))
    await writeCheckpoint(db, KEY, Date.UTC(2026, 11, 3, 1))
    await appendAll(db, SAMPLE.slice(4))
    await writeCheckpoint(db, KEY, Date.UTC(2026, 11, 3, 2))
  })

  it('finds a signed trail intact and says how far it is signed', async () => {
    expect(await verifyAudit(db, { key: KEY })).toMatchObject({ ok: true, rows: N, checkpoints: 2, lastCheckpoint: { seq: N }, signaturesChecked: true })
  })

  it('catches a superuser who rewrote a row, re-chained the tail and moved the head', async () => {
    await rechainFrom(db, 3, 'alert:someone-else')
    // The chain alone now reads as intact: this is what the checkpoints are for.
    const chain = await verifyAudit(db, { key: KEY })
    expect(chain).toEqual({ ok: false, rows: N, brokenAt: 4, reason: 'row rewritten after a signed checkpoint' })
  })

  it('catches checkpoints forged without the key, or removed from the middle', async () => {
    await rechainFrom(db, 3, 'alert:someone-else')
    const rows = (await db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log WHERE seq IN (4, 8) ORDER BY seq')).rows
    // Re-signed with a key of the attacker's own.
    const forged = sign('attacker-key-0123456789abcdef012345', 4, rows[0]!.hash, Date.UTC(2026, 11, 3, 1))
    await tamper(db, 'DELETE FROM audit_checkpoints', insertSql(forged))
    expect(await verifyAudit(db, { key: KEY })).toMatchObject({ ok: false, brokenAt: 4, reason: 'checkpoint signed by another key' })
    // Claiming our key's id does not help.
    await tamper(db, 'DELETE FROM audit_checkpoints', insertSql({ ...forged, keyId: keyIdOf(KEY) }))
    expect(await verifyAudit(db, { key: KEY })).toMatchObject({ ok: false, brokenAt: 4, reason: 'checkpoint signature invalid' })
    // Without the key the links are still held: a checkpoint whose predecessor was removed.
    await resetAudit(db)
    await appendAll(db, SAMPLE)
    await writeCheckpoint(db, KEY, 1)
    await appendAll(db, SAMPLE.slice(0, 1))
    await writeCheckpoint(db, KEY, 2)
    await tamper(db, `DELETE FROM audit_checkpoints WHERE seq = ${N}`)
    expect(await verifyAudit(db)).toMatchObject({ ok: false, brokenAt: N + 1, reason: 'checkpoint missing' })
  })

  it('holds the trail against heads recorded elsewhere', async () => {
    const head = (await latestCheckpoint(db))!
    expect(await verifyAudit(db, { key: KEY, anchors: [{ seq: head.seq, hash: head.hash }] })).toMatchObject({ ok: true })
    await rechainFrom(db, 2, 'alert:x')
    await tamper(db, 'DELETE FROM audit_checkpoints')
    // With its checkpoints gone the database looks clean; the recorded head does not.
    expect(await verifyAudit(db, { key: KEY })).toMatchObject({ ok: true, checkpoints: 0 })
    expect(await verifyAudit(db, { key: KEY, anchors: [{ seq: head.seq, hash: head.hash }] })).toMatchObject({ ok: false, brokenAt: head.seq, reason: 'anchor not in the trail' })
  })
})

function insertSql(c: Checkpoint): string {
  return `INSERT INTO audit_checkpoints (seq, hash, at, prev_mac, key_id, mac) VALUES (${c.seq}, '${c.hash}', '${new Date(c.at).toISOString()}', '${c.prevMac}', '${c.keyId}', '${c.mac}')`
}
