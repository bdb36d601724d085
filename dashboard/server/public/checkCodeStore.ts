/**
 * The owner of table public_check_codes: issuing a case's check code (a new one
 * replaces the old) and finding the case a (case id, code) pair opens. Only the
 * HMAC of a code is stored; the clear code is returned once, to whoever issued it.
 */
import type { Kind } from '../../../common/contract/index.ts'
import type { Queryable } from '../../../common/db/index.ts'
import { hashCode, newCode, normalizeCode, sameHash } from './checkCode.ts'

/** issueCheckCode draws a fresh code for a case, stores its hash and returns the code in clear. */
export async function issueCheckCode(db: Queryable, key: string, kind: Kind, caseId: string, by: string, now: number): Promise<string> {
  const code = newCode()
  await db.query(
    `INSERT INTO public_check_codes (kind, case_id, code_hash, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (kind, case_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, issued_at = EXCLUDED.issued_at, issued_by = EXCLUDED.issued_by`,
    [kind, caseId, hashCode(key, kind, caseId, code), new Date(now), by],
  )
  return code
}

/** checkCodeIssued says when a case's code was issued, or null when it has none. */
export async function checkCodeIssued(db: Queryable, kind: Kind, caseId: string): Promise<{ issuedAt: number; issuedBy: string } | null> {
  const r = await db.query<{ issued_at: Date; issued_by: string }>('SELECT issued_at, issued_by FROM public_check_codes WHERE kind = $1 AND case_id = $2', [kind, caseId])
  const row = r.rows[0]
  return row ? { issuedAt: row.issued_at.getTime(), issuedBy: row.issued_by } : null
}

/** caseOfCode finds the kind of the case `caseId` that `code` opens; null for an unknown case and a wrong code alike. */
export async function caseOfCode(db: Queryable, key: string, caseId: string, code: string): Promise<Kind | null> {
  const c = normalizeCode(code)
  if (!c) return null
  const r = await db.query<{ kind: Kind; code_hash: string }>('SELECT kind, code_hash FROM public_check_codes WHERE case_id = $1', [caseId])
  // Every row is compared, so the time taken does not say which kind matched.
  let hit: Kind | null = null
  for (const row of r.rows) if (sameHash(row.code_hash, hashCode(key, row.kind, caseId, c))) hit = row.kind
  return hit
}
