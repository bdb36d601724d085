/**
 * The account forms' checks, made in the browser before anything is sent so that the
 * administrator reads what to fix in their own language: a username the server would
 * take, a department for (and only for) a department user, the unmask permission only
 * for an inspector, a password of at least 12 characters, and a reason for disabling
 * or enabling. The server checks all of it again (dashboard/server/accounts/users.ts).
 */
import type { NewAccount, Role } from '../../../common/contract/api.ts'
import type { MessageKey } from './i18n.ts'

/** ACCOUNT_ROLES lists the roles in form order (the server's ROLES). */
export const ACCOUNT_ROLES: readonly Role[] = ['inspector', 'leader', 'department', 'admin']

/** MIN_PASSWORD_LENGTH and MAX_PASSWORD_LENGTH bound a password in characters (the server's MIN_PASSWORD, MAX_PASSWORD). */
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024

/** MAX_REASON_LENGTH is the longest reason for disabling or enabling an account. */
export const MAX_REASON_LENGTH = 500

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/

/** Problem is what to fix: a message and the numbers it names. */
export interface Problem {
  key: MessageKey
  vars?: Record<string, number>
}

/** AccountDraft is the add form as typed. */
export interface AccountDraft {
  username: string
  role: Role
  dept: string
  canUnmask: boolean
  password: string
}

/** emptyDraft is the add form before anything is typed. */
export function emptyDraft(): AccountDraft {
  return { username: '', role: 'department', dept: '', canUnmask: false, password: '' }
}

/**
 * accountInput builds the request from the form, or names what to fix. A department
 * picked before the role changed, or a ticked unmask box, is dropped when the role
 * does not take it rather than refused.
 */
export function accountInput(d: AccountDraft): { input: NewAccount } | { problem: Problem } {
  const username = d.username.trim().toLowerCase()
  if (!USERNAME.test(username)) return { problem: { key: 'users.badUsername' } }
  const dept = d.role === 'department' ? d.dept.trim() : ''
  if (d.role === 'department' && !dept) return { problem: { key: 'users.needDept' } }
  const problem = passwordProblem(d.password)
  if (problem) return { problem }
  return {
    input: { username, password: d.password, role: d.role, ...(dept ? { dept } : {}), ...(d.role === 'inspector' && d.canUnmask ? { canUnmask: true } : {}) },
  }
}

/** passwordProblem names what is wrong with a new password, or null. */
export function passwordProblem(password: string): Problem | null {
  const n = [...password].length
  if (n < MIN_PASSWORD_LENGTH) return { key: 'users.passwordShort', vars: { n: MIN_PASSWORD_LENGTH } }
  if (n > MAX_PASSWORD_LENGTH) return { key: 'users.passwordLong', vars: { n: MAX_PASSWORD_LENGTH } }
  return null
}

/** reasonProblem names what is wrong with a reason for disabling or enabling, or null. */
export function reasonProblem(reason: string): Problem | null {
  const n = [...reason.trim()].length
  if (n === 0) return { key: 'users.needReason' }
  if (n > MAX_REASON_LENGTH) return { key: 'users.reasonLong', vars: { n: MAX_REASON_LENGTH } }
  return null
}
