/**
 * The contact store (table `contacts`, migrations/012_notify.sql): per department a
 * duty contact and a head, each with a mainland mobile number in E.164. Names and
 * phones are personal data: they are read for routing only and never logged.
 */
import type { Queryable } from '../../common/db/index.ts'
import type { Contact, DeptContacts } from './route.ts'
import type { Role } from './stage.ts'

/** MOBILE matches an E.164 mainland China mobile number: +86 then 1[3-9] and nine digits. */
export const MOBILE = /^\+861[3-9]\d{9}$/

const MAX_NAME = 50
const MAX_DEPT = 100

/** ContactInput is a contact as an administrator enters it. */
export interface ContactInput {
  dept: string
  role: Role
  name: string
  phone: string
}

/** ContactError is a contact that cannot be stored; `field` names the bad input. */
export class ContactError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'ContactError'
  }
}

/** normalizePhone strips spaces and dashes; the result must be E.164 (+86 mobile) or it throws. */
export function normalizePhone(phone: string): string {
  const p = phone.replace(/[\s-]/g, '')
  // The message does not echo the number: it is personal data and may end up in a log.
  if (!MOBILE.test(p)) throw new ContactError('phone', 'phone must be a mainland mobile number in E.164: +86 and 11 digits starting 13 to 19')
  return p
}

/** validateContact checks a contact and returns it trimmed and normalized. */
export function validateContact(c: ContactInput): ContactInput {
  const dept = c.dept?.trim() ?? ''
  if (dept === '' || dept.length > MAX_DEPT) throw new ContactError('dept', 'dept must be a department code')
  if (c.role !== 'duty' && c.role !== 'head') throw new ContactError('role', 'role must be duty or head')
  const name = c.name?.trim() ?? ''
  if (name === '' || name.length > MAX_NAME) throw new ContactError('name', `name must be 1 to ${MAX_NAME} characters`)
  return { dept, role: c.role, name, phone: normalizePhone(c.phone ?? '') }
}

/** upsertContact validates and stores a department's contact for a role, replacing the previous one. */
export async function upsertContact(db: Queryable, c: ContactInput, now: number = Date.now()): Promise<ContactInput> {
  const v = validateContact(c)
  await db.query(
    `INSERT INTO contacts (dept, role, name, phone, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (dept, role) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, updated_at = EXCLUDED.updated_at`,
    [v.dept, v.role, v.name, v.phone, new Date(now)],
  )
  return v
}

/** deleteContact removes a department's contact for a role; true when there was one. */
export async function deleteContact(db: Queryable, dept: string, role: Role): Promise<boolean> {
  const r = await db.query('DELETE FROM contacts WHERE dept = $1 AND role = $2 RETURNING dept', [dept, role])
  return r.rowCount > 0
}

/** contactsOf returns a department's contacts, as the route stage wants them. */
export async function contactsOf(db: Queryable, dept: string): Promise<DeptContacts> {
  const r = await db.query<{ role: Role; name: string; phone: string }>('SELECT role, name, phone FROM contacts WHERE dept = $1', [dept])
  const out: DeptContacts = {}
  for (const row of r.rows) out[row.role] = { name: row.name, phone: row.phone } satisfies Contact
  return out
}

/** listContacts returns every contact, by department then role. */
export async function listContacts(db: Queryable): Promise<ContactInput[]> {
  const r = await db.query<ContactInput>('SELECT dept, role, name, phone FROM contacts ORDER BY dept, role')
  return r.rows
}
