/**
 * Users of the consoles: inspectors, leaders, department staff and administrators.
 * Usernames are case-insensitive (stored lower-case); a department user belongs to
 * exactly one department; only an inspector may hold the unmask permission. This
 * module owns the table `users`; ending an account's sessions asks sessions.ts.
 */
import { ROLES, type Role } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { hashPassword, SCRYPT_PARAMS, type ScryptParams } from './password.ts'
import { endSessionsOf } from './sessions.ts'

export { ROLES, type Role }

/** User is an account as the rest of the platform sees it: never with its password hash. */
export interface User {
  id: number
  username: string
  role: Role
  /** the department code of a department user; null for every other role */
  dept: string | null
  canUnmask: boolean
  disabled: boolean
  createdAt: Date
}

/** NewUser is what createUser needs. */
export interface NewUser {
  username: string
  password: string
  role: string
  dept?: string | null
  canUnmask?: boolean
}

/** MIN_PASSWORD and MAX_PASSWORD bound a password's length in characters. */
export const MIN_PASSWORD = 12
export const MAX_PASSWORD = 1024

/** MAX_REASON is the longest reason, in characters, for disabling or enabling an account. */
export const MAX_REASON = 500

/** UserError is a new user rejected for one field. */
export class UserError extends Error {
  constructor(readonly field: keyof NewUser, message: string) {
    super(message)
  }
}

/** UsernameTakenError is a new user whose username another account has (a UserError on `username`). */
export class UsernameTakenError extends UserError {
  constructor(readonly username: string) {
    super('username', `username "${username}" is taken`)
  }
}

/** UnknownUserError is a change to an account that does not exist. */
export class UnknownUserError extends Error {
  constructor(readonly username: string) {
    super(`no account named "${username}"`)
  }
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/
const DEPT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** normalizeUsername is how a typed username is looked up and stored. */
export function normalizeUsername(name: string): string {
  return name.trim().toLowerCase()
}

/** createUser validates and stores a new user; a taken username is a UserError. */
export async function createUser(db: Queryable, u: NewUser, scrypt: ScryptParams = SCRYPT_PARAMS): Promise<User> {
  const v = validate(u)
  const hash = await hashPassword(u.password, scrypt)
  try {
    const r = await db.query<UserRow>(
      `INSERT INTO users (username, password_hash, role, dept, can_unmask) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [v.username, hash, v.role, v.dept, v.canUnmask],
    )
    return userFromRow(r.rows[0]!)
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new UsernameTakenError(v.username)
    throw e
  }
}

/** findUser looks a user up by username, with the stored password hash for sign-in. */
export async function findUser(db: Queryable, username: string): Promise<(User & { passwordHash: string }) | null> {
  const r = await db.query<UserRow & { password_hash: string }>(`SELECT ${COLUMNS}, password_hash FROM users WHERE username = $1`, [
    normalizeUsername(username),
  ])
  const row = r.rows[0]
  return row ? { ...userFromRow(row), passwordHash: row.password_hash } : null
}

/** userById looks a user up by id (a session's user), or null. */
export async function userById(db: Queryable, id: number): Promise<User | null> {
  const r = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])
  return r.rows[0] ? userFromRow(r.rows[0]) : null
}

/** listUsers lists every user by username. */
export async function listUsers(db: Queryable): Promise<User[]> {
  const r = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)
  return r.rows.map(userFromRow)
}

/** setPasswordHash replaces a user's stored hash (re-hashing with new parameters). */
export async function setPasswordHash(db: Queryable, id: number, hash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, hash])
}

/**
 * setDisabled disables or enables an account. Disabling also deletes every session of
 * it, so each one ends at once (the dashboard drops their sockets at its next session
 * check). Sessions already refuse a disabled user, so the order of the two writes
 * leaves no gap even outside a transaction.
 */
export async function setDisabled(db: Queryable, username: string, disabled: boolean): Promise<User> {
  const name = normalizeUsername(username)
  const r = await db.query<UserRow>(`UPDATE users SET disabled = $2 WHERE username = $1 RETURNING ${COLUMNS}`, [name, disabled])
  const row = r.rows[0]
  if (!row) throw new UnknownUserError(name)
  if (disabled) await endSessionsOf(db, Number(row.id))
  return userFromRow(row)
}

/**
 * resetPassword sets a new password (checked like createUser's) and ends every session
 * of the account: whoever knew the old password is signed out.
 */
export async function resetPassword(db: Queryable, username: string, password: string): Promise<User> {
  checkPassword(password)
  const name = normalizeUsername(username)
  const hash = await hashPassword(password)
  const r = await db.query<UserRow>(`UPDATE users SET password_hash = $2 WHERE username = $1 RETURNING ${COLUMNS}`, [name, hash])
  const row = r.rows[0]
  if (!row) throw new UnknownUserError(name)
  await endSessionsOf(db, Number(row.id))
  return userFromRow(row)
}

/** checkPassword refuses a password shorter than MIN_PASSWORD or longer than MAX_PASSWORD characters. */
export function checkPassword(password: unknown): void {
  const length = [...String(password ?? '')].length
  if (length < MIN_PASSWORD) throw new UserError('password', `password must be at least ${MIN_PASSWORD} characters`)
  if (length > MAX_PASSWORD) throw new UserError('password', `password must be at most ${MAX_PASSWORD} characters`)
}

function validate(u: NewUser): ReturnType<typeof checkAccount> {
  const account = checkAccount(u)
  checkPassword(u.password)
  return account
}

/** checkAccount validates everything of a new user but the password (so a CLI can fail before asking for it). */
export function checkAccount(u: Omit<NewUser, 'password'>): { username: string; role: Role; dept: string | null; canUnmask: boolean } {
  const username = normalizeUsername(String(u.username ?? ''))
  if (!USERNAME.test(username)) {
    throw new UserError('username', 'username must be 2–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit')
  }
  if (!ROLES.includes(u.role as Role)) throw new UserError('role', `role must be one of ${ROLES.join(', ')}, got "${u.role}"`)
  const role = u.role as Role
  const dept = u.dept?.trim() || null
  if (role === 'department' && !dept) throw new UserError('dept', 'a department user needs a department (--dept CODE)')
  if (role !== 'department' && dept) throw new UserError('dept', `only a department user has a department, not a ${role}`)
  if (dept && !DEPT.test(dept)) throw new UserError('dept', 'a department code is 1–64 characters: letters, digits, ".", "_" or "-"')
  const canUnmask = u.canUnmask === true
  if (canUnmask && role !== 'inspector') throw new UserError('canUnmask', 'only an inspector may hold the unmask permission')
  return { username, role, dept, canUnmask }
}

/** UserRow is a users row as read with COLUMNS. */
interface UserRow {
  id: string | number
  username: string
  role: Role
  dept: string | null
  can_unmask: boolean
  disabled: boolean
  created_at: Date
}

/** COLUMNS are the users columns userFromRow reads. */
const COLUMNS = 'id, username, role, dept, can_unmask, disabled, created_at'

/** userFromRow reads a row of COLUMNS. */
function userFromRow(row: UserRow): User {
  return {
    id: Number(row.id),
    username: row.username,
    role: row.role,
    dept: row.dept,
    canUnmask: row.can_unmask,
    disabled: row.disabled,
    createdAt: row.created_at,
  }
}
