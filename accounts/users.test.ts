import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../common/db/index.ts'
import { openTestDbs } from '../common/db/testing.ts'
import { verifyPassword } from './password.ts'
import { Sessions } from './sessions.ts'
import { createUser, findUser, listUsers, resetPassword, setDisabled, UnknownUserError, UserError, UsernameTakenError, type NewUser } from './users.ts'

const PW = 'a long enough password'

describe.each(openTestDbs())('users on $name', ({ open }) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db?.close())

  it('creates users with a scrypt hash and finds them case-insensitively', async () => {
    const u = await createUser(db, { username: ' Wang.Li ', password: PW, role: 'inspector', canUnmask: true })
    expect(u).toMatchObject({ username: 'wang.li', role: 'inspector', dept: null, canUnmask: true, disabled: false })
    expect(u.createdAt).toBeInstanceOf(Date)
    const found = await findUser(db, 'WANG.LI')
    expect(found?.id).toBe(u.id)
    expect(found?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect((await verifyPassword(PW, found!.passwordHash)).ok).toBe(true)
    expect(await findUser(db, 'nobody')).toBeNull()
  })

  it('gives a department user its department and lists everyone by name', async () => {
    await createUser(db, { username: 'health-desk', password: PW, role: 'department', dept: 'health' })
    await createUser(db, { username: 'boss', password: PW, role: 'leader' })
    const all = await listUsers(db)
    expect(all.map((u) => [u.username, u.role, u.dept])).toEqual([
      ['boss', 'leader', null],
      ['health-desk', 'department', 'health'],
      ['wang.li', 'inspector', null],
    ])
    expect(all.every((u) => !('passwordHash' in u))).toBe(true)
  })

  it.each<[string, NewUser, string]>([
    ['a short password', { username: 'x1', password: 'short pass', role: 'admin' }, 'password'],
    ['an empty username', { username: ' ', password: PW, role: 'admin' }, 'username'],
    ['a username with spaces', { username: 'wang li', password: PW, role: 'admin' }, 'username'],
    ['an unknown role', { username: 'x2', password: PW, role: 'root' }, 'role'],
    ['a department user without a department', { username: 'x3', password: PW, role: 'department' }, 'dept'],
    ['a department on another role', { username: 'x4', password: PW, role: 'inspector', dept: 'health' }, 'dept'],
    ['a malformed department code', { username: 'x5', password: PW, role: 'department', dept: 'health dept' }, 'dept'],
    ['unmask for a leader', { username: 'x6', password: PW, role: 'leader', canUnmask: true }, 'canUnmask'],
    ['a taken username in other case', { username: 'WANG.LI', password: PW, role: 'admin' }, 'username'],
  ])('refuses %s', async (_, input, field) => {
    const err = await createUser(db, input).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserError)
    expect((err as UserError).field).toBe(field)
  })

  it('calls a taken username by its own error, still a UserError on the username', async () => {
    const err = await createUser(db, { username: 'Boss', password: PW, role: 'admin' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UsernameTakenError)
    expect(err).toMatchObject({ field: 'username', username: 'boss', message: 'username "boss" is taken' })
  })

  it('disabling ends every session of the user at once, and only theirs; enabling lets them sign in again', async () => {
    const sessions = new Sessions(db)
    const signIn = async (name: string, pw = PW) => {
      const r = await sessions.login(name, pw, '10.0.0.1')
      return r.ok ? r.token : null
    }
    const [desk1, desk2, boss] = [await signIn('health-desk'), await signIn('health-desk'), await signIn('boss')]
    expect(await sessions.userOf(desk1)).not.toBeNull()
    const u = await setDisabled(db, 'Health-Desk', true)
    expect(u).toMatchObject({ username: 'health-desk', disabled: true })
    expect(await sessions.userOf(desk1)).toBeNull()
    expect(await sessions.userOf(desk2)).toBeNull()
    expect((await sessions.userOf(boss))?.username).toBe('boss')
    expect(await signIn('health-desk')).toBeNull()
    expect(await setDisabled(db, 'health-desk', false)).toMatchObject({ disabled: false })
    // The ended sessions stay ended: enabling is not an undo.
    expect(await sessions.userOf(desk1)).toBeNull()
    expect(await signIn('health-desk')).not.toBeNull()
  })

  it('resets a password: the old one stops working and every session of the user ends', async () => {
    const sessions = new Sessions(db)
    const before = await sessions.login('boss', PW, '10.0.0.2')
    if (!before.ok) throw new Error('boss could not sign in')
    const NEW = 'a brand new passphrase'
    expect(await resetPassword(db, 'BOSS', NEW)).toMatchObject({ username: 'boss', disabled: false })
    expect(await sessions.userOf(before.token)).toBeNull()
    const stored = await findUser(db, 'boss')
    expect((await verifyPassword(PW, stored!.passwordHash)).ok).toBe(false)
    expect((await verifyPassword(NEW, stored!.passwordHash)).ok).toBe(true)
    expect((await sessions.login('boss', NEW, '10.0.0.2')).ok).toBe(true)
  })

  it('refuses a new password of the wrong length and changes nothing', async () => {
    const sessions = new Sessions(db)
    const r = await sessions.login('wang.li', PW, '10.0.0.3')
    if (!r.ok) throw new Error('wang.li could not sign in')
    for (const pw of ['eleven char', 'x'.repeat(1025)]) {
      const err = await resetPassword(db, 'wang.li', pw).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UserError)
      expect((err as UserError).field).toBe('password')
    }
    expect(await sessions.userOf(r.token)).not.toBeNull()
    expect((await verifyPassword(PW, (await findUser(db, 'wang.li'))!.passwordHash)).ok).toBe(true)
  })

  it('names the username of an account that does not exist', async () => {
    for (const change of [() => setDisabled(db, ' Ghost ', true), () => setDisabled(db, 'ghost', false), () => resetPassword(db, 'ghost', PW)]) {
      const err = await change().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UnknownUserError)
      expect(err).toMatchObject({ username: 'ghost', message: 'no account named "ghost"' })
    }
  })

  it('enforces the department and unmask rules in the schema too', async () => {
    const insert = (role: string, dept: string | null, unmask: boolean) =>
      db.query('INSERT INTO users (username, password_hash, role, dept, can_unmask) VALUES ($1, $2, $3, $4, $5)', [`raw-${role}-${dept}-${unmask}`, 'x', role, dept, unmask])
    await expect(insert('department', null, false)).rejects.toThrow(/users_dept_iff_department/)
    await expect(insert('leader', 'health', false)).rejects.toThrow(/users_dept_iff_department/)
    await expect(insert('leader', null, true)).rejects.toThrow(/users_unmask_inspector_only/)
    await expect(insert('root', null, false)).rejects.toThrow(/check constraint/)
  })
})
