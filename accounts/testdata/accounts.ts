/**
 * Test support: real accounts and sessions in an embedded database, each signed in
 * once, so that tests send the cookie a browser would.
 */
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { SESSION_COOKIE, Sessions } from '../sessions.ts'
import { createUser, type NewUser } from '../users.ts'

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
  close(): Promise<void>
}

/** openTestAccounts creates TEST_USERS on a fresh embedded database and signs each in. */
export async function openTestAccounts(): Promise<TestAccounts> {
  const db = await openTestDbs()[0]!.open()
  const sessions = new Sessions(db, { secureCookies: false })
  const cookies = await signInEach(sessions, db, TEST_USERS)
  return {
    db,
    sessions,
    cookie(username) {
      const c = cookies.get(username)
      if (!c) throw new Error(`no test account ${username}`)
      return c
    },
    close: () => db.close(),
  }
}

/** signInEach creates the users (password TEST_PASSWORD) and signs each in; it returns their Cookie headers by username. */
export async function signInEach(sessions: Sessions, db: Db, users: ReadonlyArray<Omit<NewUser, 'password'>>): Promise<Map<string, string>> {
  const cookies = new Map<string, string>()
  for (const u of users) {
    await createUser(db, { ...u, password: TEST_PASSWORD })
    const r = await sessions.login(u.username, TEST_PASSWORD, '127.0.0.1')
    if (!r.ok) throw new Error(`test sign-in of ${u.username} failed: ${r.reason}`)
    cookies.set(u.username, `${SESSION_COOKIE}=${r.token}`)
  }
  return cookies
}
