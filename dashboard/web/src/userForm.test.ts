import { describe, expect, it } from 'vitest'
import { checkAccount, MAX_PASSWORD, MAX_REASON, MIN_PASSWORD, ROLES, UserError } from '../../../accounts/index.ts'
import { ACCOUNT_ROLES, accountInput, emptyDraft, MAX_PASSWORD_LENGTH, MAX_REASON_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, reasonProblem, type AccountDraft } from './userForm.ts'

const PW = 'twelve chars'
const draft = (d: Partial<AccountDraft>): AccountDraft => ({ ...emptyDraft(), password: PW, ...d })

describe('account forms', () => {
  it('asks for what the server asks for', () => {
    expect(ACCOUNT_ROLES).toEqual(ROLES)
    expect([MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, MAX_REASON_LENGTH]).toEqual([MIN_PASSWORD, MAX_PASSWORD, MAX_REASON])
  })

  it('builds a department user with its department, and an inspector who may unmask', () => {
    expect(accountInput(draft({ username: ' Market-Clerk ', dept: 'market' }))).toEqual({
      input: { username: 'market-clerk', password: PW, role: 'department', dept: 'market' },
    })
    expect(accountInput(draft({ username: 'sun', role: 'inspector', canUnmask: true }))).toEqual({
      input: { username: 'sun', password: PW, role: 'inspector', canUnmask: true },
    })
  })

  it('drops a department or the unmask box that the chosen role does not take', () => {
    expect(accountInput(draft({ username: 'li', role: 'leader', dept: 'market', canUnmask: true }))).toEqual({
      input: { username: 'li', password: PW, role: 'leader' },
    })
  })

  it('accepts and refuses the usernames the server does', () => {
    for (const username of ['ab', 'wang.li', 'x_1-2', 'a'.repeat(64), 'a', 'wang li', '-x', '.x', 'a'.repeat(65), '张三']) {
      const server = (() => {
        try {
          checkAccount({ username, role: 'leader' })
          return true
        } catch (e) {
          if (e instanceof UserError && e.field === 'username') return false
          throw e
        }
      })()
      expect([username, 'input' in accountInput(draft({ username, role: 'leader' }))]).toEqual([username, server])
    }
  })

  it('names what to fix', () => {
    expect(accountInput(draft({ username: '' }))).toEqual({ problem: { key: 'users.badUsername' } })
    expect(accountInput(draft({ username: 'desk', dept: ' ' }))).toEqual({ problem: { key: 'users.needDept' } })
    expect(accountInput(draft({ username: 'desk', dept: 'market', password: 'eleven char' }))).toEqual({ problem: { key: 'users.passwordShort', vars: { n: 12 } } })
    expect(passwordProblem('一二三四五六七八九十一二')).toBeNull()
    expect(passwordProblem('x'.repeat(1025))).toEqual({ key: 'users.passwordLong', vars: { n: 1024 } })
  })

  it('needs a reason of 1–500 characters', () => {
    expect(reasonProblem('  ')).toEqual({ key: 'users.needReason' })
    expect(reasonProblem('因'.repeat(501))).toEqual({ key: 'users.reasonLong', vars: { n: 500 } })
    expect(reasonProblem(' 离职 ')).toBeNull()
  })
})
