/**
 * The department form's checks, made in the browser before anything is sent so that
 * the administrator reads what to fix in their own language: a code of the contract's
 * pattern, a Chinese name short enough for a text message, an English name, and no
 * department its own parent. The server checks all of it again (common/departments).
 */
import {
  DEPT_CODE, type DeptKind, type DepartmentInput, type DepartmentView, MAX_DEPT_CODE, MAX_DEPT_NAME_EN, MAX_DEPT_NAME_ZH,
} from '../../../common/contract/api.ts'
import type { Problem } from './userForm.ts'

/** DepartmentDraft is the form as typed; parent '' is none. */
export interface DepartmentDraft {
  code: string
  nameZh: string
  nameEn: string
  kind: DeptKind
  parent: string
  active: boolean
}

/** emptyDepartment is the add form, with a code to start from (an unregistered one) if given. */
export function emptyDepartment(code = ''): DepartmentDraft {
  return { code, nameZh: '', nameEn: '', kind: 'other', parent: '', active: true }
}

/** draftOf fills the form with a registered department, to change it. */
export function draftOf(d: DepartmentView): DepartmentDraft {
  return { code: d.code, nameZh: d.names['zh-CN'], nameEn: d.names.en, kind: d.kind, parent: d.parent ?? '', active: d.active }
}

/** departmentInput builds the request from the form, with the code, or names what to fix. */
export function departmentInput(d: DepartmentDraft): { input: DepartmentInput & { code: string } } | { problem: Problem } {
  const code = d.code.trim()
  if (!code || code.length > MAX_DEPT_CODE || !DEPT_CODE.test(code)) return { problem: { key: 'depts.badCode', vars: { n: MAX_DEPT_CODE } } }
  const zh = d.nameZh.trim()
  if (!zh) return { problem: { key: 'depts.needNameZh' } }
  if (zh.length > MAX_DEPT_NAME_ZH) return { problem: { key: 'depts.nameZhLong', vars: { n: MAX_DEPT_NAME_ZH } } }
  const en = d.nameEn.trim()
  if (!en) return { problem: { key: 'depts.needNameEn' } }
  if (en.length > MAX_DEPT_NAME_EN) return { problem: { key: 'depts.nameEnLong', vars: { n: MAX_DEPT_NAME_EN } } }
  if (d.parent === code) return { problem: { key: 'depts.selfParent' } }
  return { input: { code, names: { 'zh-CN': zh, en }, kind: d.kind, parent: d.parent || null, active: d.active } }
}
