/**
 * The administrators' department routes (departments.manage, docs/departments.md):
 * the registry, adding and changing a department (deactivating is `active: false`),
 * and the codes seen in case events or on cards that the registry lacks. Each change
 * and its audit row commit in one transaction (common/departments saveDepartments);
 * the in-memory directory is refreshed at once, which tells every wall to reload the
 * names. Bodies are JSON only, read with the bounded reader.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { openTallies } from '../../../alerts/index.ts'
import { allowMethod, can, type Sessions, type User, withSession } from '../../../accounts/index.ts'
import { type DepartmentView, type DeptNames, MAX_UNREGISTERED, type Unregistered, type UnregisteredDept } from '../../../common/contract/index.ts'
import type { Db } from '../../../common/db/index.ts'
import {
  checkDepartment, type Department, type DeptDirectory, DeptExistsError, DeptFieldError, type FieldLabels, findDepartment, listDepartments, saveDepartments, type SaveMode, UnknownDeptError,
} from '../../../common/departments/index.ts'
import { readJson, sendJson } from '../../../common/http/index.ts'
import { deptsSeen } from '../../../rules/index.ts'

/** DepartmentRoutesDeps is what the routes need; the platform wires it in bin/platform.ts. */
export interface DepartmentRoutesDeps {
  db: Db
  sessions: Sessions
  directory: DeptDirectory
  /** the platform's own contact lists: not departments, so never registered nor listed as unregistered */
  lists: DeptNames
  /** the platform clock; wall time by default */
  now?: () => number
  /** formats instants in the platform zone; ISO 8601 UTC by default */
  format?: (t: number) => string
  log?: (m: string) => void
}

/** DepartmentHandler answers a request and resolves true, or resolves false for a path it does not own. */
export type DepartmentHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/** MAX_DEPT_BODY is the largest JSON body read. */
export const MAX_DEPT_BODY = 8 * 1024

/** API_FIELDS spell the fields as the JSON body does. */
const API_FIELDS: FieldLabels = { code: 'code', nameZh: 'names.zh-CN', nameEn: 'names.en', kind: 'kind', parent: 'parent', active: 'active' }

type Ctx = Required<DepartmentRoutesDeps>
type Body = Record<string, unknown>

/** departmentRoutes builds the handler of /api/v1/departments; it rejects only on database errors. */
export function departmentRoutes(deps: DepartmentRoutesDeps): DepartmentHandler {
  const ctx: Ctx = { ...deps, now: deps.now ?? Date.now, format: deps.format ?? ((t) => new Date(t).toISOString()), log: deps.log ?? (() => {}) }
  return async (req, res) => {
    const seg = segments(new URL(req.url ?? '/', 'http://jiancha.invalid').pathname)
    if (!seg || seg[0] !== 'api' || seg[1] !== 'v1' || seg[2] !== 'departments' || seg.length > 4) return false
    const code = seg[3]
    if (code === undefined) {
      if (req.method === 'POST') return asAdmin(ctx, req, res, 'POST', (u) => withBody(req, res, (b) => save(ctx, u, 'create', b, undefined, res)))
      return asAdmin(ctx, req, res, 'GET', async () => sendJson(res, 200, { departments: (await listDepartments(ctx.db, { all: true })).map((d) => view(ctx, d)) }))
    }
    // A department may be coded "unregistered": only GET reads the list, PUT changes the department.
    if (code === 'unregistered' && req.method !== 'PUT') return asAdmin(ctx, req, res, 'GET', async () => sendJson(res, 200, await unregistered(ctx)))
    return asAdmin(ctx, req, res, 'PUT', (u) => withBody(req, res, (b) => save(ctx, u, 'update', b, code, res)))
  }
}

/**
 * save answers POST /api/v1/departments (201, 409 when the code is taken) and
 * PUT /api/v1/departments/:code (200, 404 when unknown; parent or active left out stay
 * as they are): the department, or 400 naming the field.
 */
async function save(ctx: Ctx, admin: User, mode: SaveMode, b: Body, pathCode: string | undefined, res: ServerResponse): Promise<void> {
  if (pathCode !== undefined && b.code !== undefined && b.code !== pathCode) {
    return sendJson(res, 400, { error: `code is the path's ("${pathCode}"); a department's code cannot be changed`, field: 'code' })
  }
  const names = b.names ?? {}
  if (typeof names !== 'object' || names === null || Array.isArray(names)) return sendJson(res, 400, { error: 'names must be {"zh-CN": …, "en": …}', field: 'names' })
  const n = names as Record<string, unknown>
  try {
    const dept = checkDepartment({ code: pathCode ?? b.code, nameZh: n['zh-CN'], nameEn: n.en, kind: b.kind, parent: b.parent, active: b.active }, API_FIELDS)
    if (b.active !== undefined && typeof b.active !== 'boolean') throw new DeptFieldError('active', 'must be true or false')
    // A change that leaves out parent or active keeps the stored one.
    const given = new Set((['parent', 'active'] as const).filter((f) => b[f] !== undefined))
    const r = await saveDepartments(ctx.db, [{ dept, given }], {
      actor: admin.username, via: 'console', at: ctx.now(), mode, reserved: new Set(Object.keys(ctx.lists)), labels: API_FIELDS,
    })
    await ctx.directory.refresh()
    const changed = r.created[0] ?? r.updated[0]?.dept
    if (changed) ctx.log(`dashboard: department ${dept.code} ${r.created.length ? 'added' : 'changed'} by ${admin.username}`)
    const stored = changed ?? (await findDepartment(ctx.db, dept.code))!
    return sendJson(res, r.created.length ? 201 : 200, { department: view(ctx, stored), changed: changed !== undefined })
  } catch (e) {
    if (e instanceof DeptExistsError) return sendJson(res, 409, { error: e.message, field: 'code' })
    if (e instanceof UnknownDeptError) return sendJson(res, 404, { error: e.message })
    if (e instanceof DeptFieldError) return sendJson(res, 400, { error: e.message, field: e.field })
    throw e
  }
}

/** unregistered answers GET /api/v1/departments/unregistered: codes of cases or open cards the registry lacks. */
async function unregistered(ctx: Ctx): Promise<Unregistered> {
  const [seen, tallies] = await Promise.all([deptsSeen(ctx.db), openTallies(ctx.db)])
  const byCode = new Map<string, { openCards: number; lastAt: number | null }>()
  const known = (code: string) => ctx.directory.has(code) || Object.hasOwn(ctx.lists, code)
  for (const s of seen) if (!known(s.dept)) byCode.set(s.dept, { openCards: 0, lastAt: s.lastAt })
  for (const t of tallies) {
    if (known(t.dept)) continue
    const e = byCode.get(t.dept) ?? { openCards: 0, lastAt: null }
    e.openCards = t.yellow + t.red
    byCode.set(t.dept, e)
  }
  const all = [...byCode].sort(([a, x], [b, y]) => y.openCards - x.openCards || (y.lastAt ?? -Infinity) - (x.lastAt ?? -Infinity) || (a < b ? -1 : 1))
  const depts = all.slice(0, MAX_UNREGISTERED).map(([code, e]): UnregisteredDept => ({ code, openCards: e.openCards, lastSeen: e.lastAt === null ? null : ctx.format(e.lastAt) }))
  return { depts, total: all.length }
}

function view(ctx: Ctx, d: Department): DepartmentView {
  return { code: d.code, names: { 'zh-CN': d.nameZh, en: d.nameEn }, kind: d.kind, parent: d.parent, active: d.active, updatedAt: ctx.format(d.updatedAt.getTime()) }
}

/** asAdmin checks the method and the session, then runs fn for a user holding departments.manage: 405, 401, 403 otherwise. */
async function asAdmin(ctx: Ctx, req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST' | 'PUT', fn: (u: User) => Promise<void>): Promise<true> {
  if (!allowMethod(req, res, method)) return true
  await withSession(ctx.sessions, req, res, async (user) => {
    if (!can(user, 'departments.manage')) return sendJson(res, 403, { error: `a ${user.role} may not manage departments` })
    return fn(user)
  })
  return true
}

/** withBody reads a JSON object body (common/http readJson: 415/413/400 when it is not one) and runs fn on it. */
async function withBody(req: IncomingMessage, res: ServerResponse, fn: (b: Body) => Promise<void>): Promise<void> {
  const body = await readJson(req, res, { maxBytes: MAX_DEPT_BODY, shape: '{code, names, kind, parent?, active?}' })
  if (body) return fn(body as Body)
}

function segments(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return null
  }
}
