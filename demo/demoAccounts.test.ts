import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { listUsers, Sessions } from '../accounts/index.ts'
import { DEMO_ACCOUNTS, ensureDemoAccounts } from './demoAccounts.ts'

describe('ensureDemoAccounts', () => {
  let db: Db
  const dir = mkdtempSync(join(tmpdir(), 'demo-accounts-'))
  beforeAll(async () => {
    db = await openTestDbs()[0]!.open()
  })
  afterAll(async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const signIn = (username: string, password: string) => new Sessions(db).login(username, password, '127.0.0.1')

  it('makes one account per role and per department, with a password kept private', async () => {
    const d = await ensureDemoAccounts(db, dir)
    expect(d.password.length).toBeGreaterThanOrEqual(12)
    expect(statSync(d.file).mode & 0o777).toBe(0o600)
    const users = await listUsers(db)
    expect(users.map((u) => u.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort())
    expect(users.find((u) => u.username === 'demo-market')).toMatchObject({ role: 'department', dept: 'market' })
    expect(users.find((u) => u.username === 'demo-inspector')).toMatchObject({ role: 'inspector', canUnmask: true })
    expect(await signIn('demo-leader', d.password)).toMatchObject({ ok: true })
  }, 30_000)

  it('keeps the same password on the next start', async () => {
    const first = await ensureDemoAccounts(db, dir)
    const again = await ensureDemoAccounts(db, dir)
    expect(again.password).toBe(first.password)
    expect(await signIn('demo-health', again.password)).toMatchObject({ ok: true })
  })

  it('sets a new password on every demo account when the file is gone, so the printed one works', async () => {
    const old = (await ensureDemoAccounts(db, dir)).password
    rmSync(join(dir, 'demo-accounts.json'))
    const fresh = await ensureDemoAccounts(db, dir)
    expect(fresh.password).not.toBe(old)
    expect(await signIn('demo-admin', fresh.password)).toMatchObject({ ok: true })
    expect(await signIn('demo-admin', old)).toMatchObject({ ok: false })
  }, 30_000)
})
