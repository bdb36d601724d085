import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../../common/db/db.ts'
import { openTestDbs } from '../../../common/db/testing.ts'
import { verifyPassword } from './password.ts'
import { createUser, findUser, listUsers, UserError, type NewUser } from './users.ts'

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

  it('enforces the department and unmask rules in the schema too', async () => {
    const insert = (role: string, dept: string | null, unmask: boolean) =>
      db.query('INSERT INTO users (username, password_hash, role, dept, can_unmask) VALUES ($1, $2, $3, $4, $5)', [`raw-${role}-${dept}-${unmask}`, 'x', role, dept, unmask])
    await expect(insert('department', null, false)).rejects.toThrow(/users_dept_iff_department/)
    await expect(insert('leader', 'health', false)).rejects.toThrow(/users_dept_iff_department/)
    await expect(insert('leader', null, true)).rejects.toThrow(/users_unmask_inspector_only/)
    await expect(insert('root', null, false)).rejects.toThrow(/check constraint/)
  })
})
