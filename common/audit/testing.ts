/** Test helpers for the audit trail: a sample chain and tampering behind the triggers' back. */
import type { Db, Queryable } from '../db/index.ts'
import { hashEntry } from './chain.ts'
import { appendAudit, type AuditInput } from './log.ts'

/** SAMPLE is a varied chain: nested detail in several key orders, Chinese text, no detail. */
export const SAMPLE: AuditInput[] = [
  { at: Date.UTC(2026, 9, 12, 1), actor: 'system', action: 'alert.raised', subject: 'alert:S-1:yellow', detail: { level: 'yellow', rule: 'deadline', causes: ['逾期 3 天'] } },
  { at: Date.UTC(2026, 9, 12, 2, 0, 0, 123), actor: '张三', action: 'alert.acknowledged', subject: 'alert:S-1:yellow', detail: { z: { b: 2, a: 1 }, a: [{ y: 1, x: 2 }] } },
  { at: Date.UTC(2026, 9, 12, 3), actor: '张三', action: 'sms.sent', subject: 'sms:13800000000', detail: { text: '【电子监察】您有一条黄牌预警，请及时处理。', to: '138****0000' } },
  { at: Date.UTC(2026, 9, 13, 4), actor: '李四', action: 'alert.rectification_submitted', subject: 'alert:S-1:yellow', detail: { a: [{ x: 2, y: 1 }], z: { a: 1, b: 2 }, note: '已整改 "完毕"\n第二行' } },
  { at: Date.UTC(2026, 9, 14, 5), actor: 'admin', action: 'user.login', subject: 'user:admin' },
  { at: Date.UTC(2026, 9, 14, 6), actor: '王五', action: 'data.unmasked', subject: 'case:S-1', detail: { field: 'phone', reason: '核实身份', n: 1e21, f: 0.1, neg: -0, big: 2 ** 60 } },
  { at: Date.UTC(2026, 9, 15, 7), actor: 'system', action: 'alert.escalated', subject: 'alert:S-1:red', detail: { from: 'yellow', to: 'red', empty: {}, list: [] } },
  { at: Date.UTC(2026, 9, 16, 8), actor: '赵六', action: 'alert.approved', subject: 'alert:S-1:red', detail: { ok: true, nothing: null } },
]

/** appendAll appends each input in its own transaction, in order, and returns the hashes. */
export async function appendAll(db: Db, inputs: AuditInput[] = SAMPLE): Promise<string[]> {
  const out: string[] = []
  for (const e of inputs) out.push((await db.transaction((tx) => appendAudit(tx, e))).hash)
  return out
}

/** tamper runs statements with the audit triggers off, as a superuser could. */
export async function tamper(db: Db, ...sql: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await setTriggers(tx, 'DISABLE')
    for (const s of sql) await tx.query(s)
    await setTriggers(tx, 'ENABLE')
  })
}

/**
 * rechainFrom rewrites row `seq` and every row after it with valid hashes and moves the
 * head: what a superuser who knows the scheme (but not the signing key) can do.
 */
export async function rechainFrom(db: Db, seq: number, subject: string): Promise<void> {
  const rows = (await db.query<{ seq: string | number; at: Date; actor: string; action: string; subject: string; detail: Record<string, unknown>; prev_hash: string }>(
    'SELECT seq, at, actor, action, subject, detail, prev_hash FROM audit_log WHERE seq >= $1 ORDER BY seq', [seq],
  )).rows
  let prev = rows[0]!.prev_hash
  const sql: string[] = []
  for (const r of rows) {
    const n = Number(r.seq)
    const entry = { seq: n, at: r.at, actor: r.actor, action: r.action, subject: n === seq ? subject : r.subject, detail: r.detail }
    const hash = hashEntry(prev, entry)
    sql.push(`UPDATE audit_log SET subject = ${lit(entry.subject)}, prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${n}`)
    prev = hash
  }
  sql.push(`UPDATE audit_head SET hash = '${prev}' WHERE id = 1`)
  await tamper(db, ...sql)
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`

/** resetAudit empties the trail and rewinds the head, for the next test. */
export async function resetAudit(db: Db): Promise<void> {
  await tamper(db, 'DELETE FROM audit_checkpoints', 'DELETE FROM audit_log', `UPDATE audit_head SET seq = 0, hash = repeat('0', 64)`)
}

async function setTriggers(tx: Queryable, how: 'DISABLE' | 'ENABLE'): Promise<void> {
  await tx.query(`ALTER TABLE audit_log ${how} TRIGGER USER`)
  await tx.query(`ALTER TABLE audit_head ${how} TRIGGER USER`)
  await tx.query(`ALTER TABLE audit_checkpoints ${how} TRIGGER USER`)
}
