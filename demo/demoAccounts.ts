/**
 * ensureDemoAccounts gives the demo (`jiancha start` with the simulator) one account
 * of each role plus one per department, so that the wall and the consoles can be
 * tried at once. They share one random password, kept in <dataDir>/demo-accounts.json
 * (mode 0600) and printed at start: a demo on one machine, never a production setup
 * (`jiancha user add` makes real accounts).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Queryable } from '../common/db/index.ts'
import { createUser, findUser, hashPassword, setPasswordHash } from '../accounts/index.ts'
import { DEPARTMENTS } from './city.ts'

/** DemoAccount is one demo sign-in. */
export interface DemoAccount {
  username: string
  role: 'inspector' | 'leader' | 'admin' | 'department'
  dept?: string
}

/** DemoAccounts is what the start banner prints. */
export interface DemoAccounts {
  accounts: DemoAccount[]
  password: string
  /** where the password is kept */
  file: string
}

/** DEMO_ACCOUNTS: an inspector who may unmask, a leader, an administrator, and demo-<dept> per department. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'demo-inspector', role: 'inspector' },
  { username: 'demo-leader', role: 'leader' },
  { username: 'demo-admin', role: 'admin' },
  ...DEPARTMENTS.map((d): DemoAccount => ({ username: `demo-${d.code}`, role: 'department', dept: d.code })),
]

/**
 * ensureDemoAccounts creates the missing demo accounts. The password is read from the
 * file; without the file a new one is made and set on every demo account, so the
 * printed password always works. Accounts an administrator disabled stay disabled.
 */
export async function ensureDemoAccounts(db: Queryable, dataDir: string): Promise<DemoAccounts> {
  const file = join(dataDir, 'demo-accounts.json')
  const stored = readPassword(file)
  const password = stored ?? randomBytes(9).toString('base64url')
  if (!stored) writeFileSync(file, JSON.stringify({ password, note: 'demo accounts of jiancha start; not for production' }, null, 2) + '\n', { mode: 0o600 })
  const hash = stored ? null : await hashPassword(password)
  for (const a of DEMO_ACCOUNTS) {
    const have = await findUser(db, a.username)
    if (!have) await createUser(db, { ...a, password, canUnmask: a.role === 'inspector' })
    else if (hash) await setPasswordHash(db, have.id, hash)
  }
  return { accounts: [...DEMO_ACCOUNTS], password, file }
}

function readPassword(file: string): string | null {
  if (!existsSync(file)) return null
  try {
    const p = (JSON.parse(readFileSync(file, 'utf8')) as { password?: unknown }).password
    return typeof p === 'string' && p.length >= 12 ? p : null
  } catch {
    return null
  }
}
