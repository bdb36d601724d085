/**
 * Test support for the dashboard server's tests: real accounts and sessions in an
 * embedded database, signed in once, so that tests of the wall and its socket send
 * the cookie a browser would.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ThreadStore } from '../../../alerts/index.ts'
import type { Db } from '../../../common/db/index.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { createUser, type NewUser, SESSION_COOKIE, Sessions } from '../../../accounts/index.ts'
import { auditWriter, type ConsoleDeps } from '../consoleRoutes.ts'

/** TEST_PASSWORD is every test account's password. */
export const TEST_PASSWORD = 'a long enough password'

/** TEST_USERS are the accounts made by openTestAccounts: one of each role, two departments. */
export const TEST_USERS: ReadonlyArray<Omit<NewUser, 'password'>> = [
  { username: 'wang', role: 'inspector' },
  { username: 'li', role: 'leader' },
  { username: 'root', role: 'admin' },
  { username: 'health-desk', role: 'department', dept: 'health' },
  { username: 'market-desk', role: 'department', dept: 'market' },
]

/** TestAccounts is a database with the test users signed in. */
export interface TestAccounts {
  db: Db
  sessions: Sessions
  /** the Cookie header of a signed-in test user */
  cookie(username: string): string
  /** the consoles' API over this database, as the platform mounts it (attachments in a temporary folder) */
  console: Omit<ConsoleDeps, 'sessions'>
  close(): Promise<void>
}

/** openTestAccounts creates TEST_USERS on a fresh embedded database and signs each in. */
export async function openTestAccounts(): Promise<TestAccounts> {
  const db = await openTestDbs()[0]!.open()
  const sessions = new Sessions(db, { secureCookies: false })
  const cookies = new Map<string, string>()
  for (const u of TEST_USERS) {
    await createUser(db, { ...u, password: TEST_PASSWORD })
    const r = await sessions.login(u.username, TEST_PASSWORD, '127.0.0.1')
    if (!r.ok) throw new Error(`test sign-in of ${u.username} failed: ${r.reason}`)
    cookies.set(u.username, `${SESSION_COOKIE}=${r.token}`)
  }
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'test-attachments-'))
  const audit = auditWriter(db, Date.now)
  return {
    db,
    sessions,
    // The platform's default zone: the walls under test show Shanghai's clocks.
    console: { db, threads: new ThreadStore({ db, clock: { now: Date.now } }), attachmentsDir, audit, zone: 'Asia/Shanghai' },
    cookie(username) {
      const c = cookies.get(username)
      if (!c) throw new Error(`no test account ${username}`)
      return c
    },
    async close() {
      await db.close()
      rmSync(attachmentsDir, { recursive: true, force: true })
    },
  }
}
