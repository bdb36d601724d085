/**
 * Test support for the dashboard server's tests: the accounts' signed-in test users
 * (accounts/testdata/accounts.ts), plus the consoles' API over the same database as
 * the platform mounts it, so that tests of the wall and its socket send the cookie a
 * browser would.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testThreads } from '../../../alerts/testing.ts'
import { openTestAccounts as openAccounts, type TestAccounts as Accounts } from '../../../accounts/testdata/accounts.ts'
import { auditWriter } from '../console/consoleAudit.ts'
import type { ConsoleDeps } from '../console/consoleRoutes.ts'

export { TEST_PASSWORD, TEST_USERS } from '../../../accounts/testdata/accounts.ts'

/** TestAccounts is a database with the test users signed in, and the consoles' API over it. */
export interface TestAccounts extends Accounts {
  /** the consoles' API over this database, as the platform mounts it (attachments in a temporary folder) */
  console: Omit<ConsoleDeps, 'sessions'>
}

/** openTestAccounts creates the test users on a fresh embedded database, signs each in, and wires the consoles' API. */
export async function openTestAccounts(): Promise<TestAccounts> {
  const accounts = await openAccounts()
  const { db } = accounts
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'test-attachments-'))
  return {
    ...accounts,
    // The platform's default zone: the walls under test show Shanghai's clocks.
    console: { db, threads: testThreads(db), attachmentsDir, audit: auditWriter(db, Date.now), zone: 'Asia/Shanghai' },
    async close() {
      await accounts.close()
      rmSync(attachmentsDir, { recursive: true, force: true })
    },
  }
}
