/**
 * The department registry's store: the one module with SQL on `departments`. Every
 * change goes through saveDepartments, one transaction that checks the whole batch
 * against the registry (parents known, no loops, no code of the platform's own
 * lists), writes what differs and appends one audit row per department changed. A
 * department is never deleted: it is deactivated.
 */
import { appendAudit, type AuditInput } from '../audit/index.ts'
import type { Db, Queryable } from '../db/index.ts'
import { DeptFieldError, type DeptInput, type Department, FILE_FIELDS, type FieldLabels, type OptionalField } from './department.ts'

/** DEPT_LOCK is the pg_advisory_xact_lock key that serializes changes of the registry ('JCDP' in ASCII). */
export const DEPT_LOCK = 0x4a434450

interface Row {
  code: string
  name_zh: string
  name_en: string
  kind: Department['kind']
  parent: string | null
  active: boolean
  updated_at: Date
}

const COLUMNS = 'code, name_zh, name_en, kind, parent, active, updated_at'

/** listDepartments lists the registry by code: the active departments, or all of them. */
export async function listDepartments(db: Queryable, opts: { all?: boolean } = {}): Promise<Department[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM departments ${opts.all ? '' : 'WHERE active '}ORDER BY code`)
  return r.rows.map(fromRow)
}

/** findDepartment reads one department, or null. */
export async function findDepartment(db: Queryable, code: string): Promise<Department | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM departments WHERE code = $1`, [code])
  return r.rows[0] ? fromRow(r.rows[0]) : null
}

/**
 * SaveMode says what a batch may do: `upsert` adds and changes (an import), `create`
 * only adds (409 on a known code), `update` only changes (404 on an unknown one),
 * `insertMissing` adds what is missing and leaves known departments alone (the demo).
 */
export type SaveMode = 'upsert' | 'create' | 'update' | 'insertMissing'

/** SaveOptions say who changes the registry, how, and when (epoch ms, also the rows' updated_at). */
export interface SaveOptions {
  actor: string
  /** how the change came: import, console, demo */
  via: string
  at: number
  mode?: SaveMode
  /** the import file, recorded in the audit rows */
  file?: string
  /** codes that are the platform's own lists, not departments */
  reserved?: ReadonlySet<string>
  /** how the caller spells the fields in its messages; the file's column names by default */
  labels?: FieldLabels
}

/** SaveItem is one department of a batch and where it stands in its file, for messages. */
export interface SaveItem {
  dept: DeptInput
  where?: string
  /**
   * the optional fields the entry gives (all when left out); a known department keeps
   * the stored value of a field not given, a new one takes the default (no parent, active)
   */
  given?: ReadonlySet<OptionalField>
}

/** FieldChange is one field's old and new value. */
export interface FieldChange {
  from: string | boolean | null
  to: string | boolean | null
}

/** SaveResult says what a batch did, department by department. */
export interface SaveResult {
  created: Department[]
  updated: Array<{ dept: Department; changes: Record<string, FieldChange> }>
  unchanged: string[]
}

/** DeptExistsError refuses to add a code the registry holds already. */
export class DeptExistsError extends DeptFieldError {
  constructor(code: string, where: string | null = null) {
    super('code', `"${code}" is registered already; change it instead`, where)
    this.name = 'DeptExistsError'
  }
}

/** UnknownDeptError refuses to change a code the registry does not hold. */
export class UnknownDeptError extends Error {
  constructor(readonly code: string) {
    super(`no department "${code}" is registered`)
    this.name = 'UnknownDeptError'
  }
}

/** saveDepartments applies a batch in one transaction, or nothing of it; it throws DeptFieldError naming the entry and field. */
export async function saveDepartments(db: Db, items: readonly SaveItem[], opts: SaveOptions): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEPT_LOCK])
    const current = new Map((await listDepartments(tx, { all: true })).map((d) => [d.code, d]))
    const todo = check(items.map((i) => withStored(i, current.get(i.dept.code))), current, opts)
    const at = new Date(opts.at)
    const result: SaveResult = { created: [], updated: [], unchanged: [] }
    for (const { dept } of todo) {
      const before = current.get(dept.code)
      if (before && opts.mode === 'insertMissing') {
        result.unchanged.push(dept.code)
        continue
      }
      if (!before) {
        await tx.query(
          'INSERT INTO departments (code, name_zh, name_en, kind, parent, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [dept.code, dept.nameZh, dept.nameEn, dept.kind, dept.parent, dept.active, at],
        )
        result.created.push({ ...dept, updatedAt: at })
        continue
      }
      const changes = diff(before, dept)
      if (!Object.keys(changes).length) {
        result.unchanged.push(dept.code)
        continue
      }
      await tx.query(
        'UPDATE departments SET name_zh = $2, name_en = $3, kind = $4, parent = $5, active = $6, updated_at = $7 WHERE code = $1',
        [dept.code, dept.nameZh, dept.nameEn, dept.kind, dept.parent, dept.active, at],
      )
      result.updated.push({ dept: { ...dept, updatedAt: at }, changes })
    }
    // The audit lock is held to the end of the transaction: append last.
    for (const e of auditEntries(result, opts)) await appendAudit(tx, e)
    return result
  })
}

/** check refuses a batch that would break the registry, naming the entry; it returns the items to write. */
function check(items: readonly SaveItem[], current: ReadonlyMap<string, Department>, opts: SaveOptions): readonly SaveItem[] {
  const labels = opts.labels ?? FILE_FIELDS
  const fail = (item: SaveItem, field: keyof FieldLabels, problem: string): never => {
    throw new DeptFieldError(labels[field], problem, item.where ?? null)
  }
  const parents = new Map<string, string | null>([...current].map(([code, d]) => [code, d.parent]))
  for (const item of items) {
    const { code } = item.dept
    if (opts.reserved?.has(code)) fail(item, 'code', `"${code}" is one of the platform's own contact lists, not a department`)
    if (opts.reserved?.has(item.dept.parent ?? '')) fail(item, 'parent', `"${item.dept.parent}" is one of the platform's own contact lists, not a department`)
    if (opts.mode === 'create' && current.has(code)) throw new DeptExistsError(code, item.where ?? null)
    if (opts.mode === 'update' && !current.has(code)) throw new UnknownDeptError(code)
    if (!(opts.mode === 'insertMissing' && current.has(code))) parents.set(code, item.dept.parent)
  }
  for (const item of items) {
    const parent = parents.get(item.dept.code)
    if (parent === null || parent === undefined) continue
    if (!parents.has(parent)) fail(item, 'parent', `"${parent}" is not a registered department${items.length > 1 ? ', nor in this batch' : ''}`)
    const path = [item.dept.code]
    for (let p: string | null | undefined = parent; p; p = parents.get(p)) {
      path.push(p)
      if (p === item.dept.code) fail(item, 'parent', `"${parent}" makes a loop: ${path.join(' → ')}`)
      if (path.length > parents.size + 1) break
    }
  }
  return items
}

/** withStored fills the fields an entry leaves out from the stored department. */
function withStored(item: SaveItem, before: Department | undefined): SaveItem {
  if (!before || !item.given) return item
  const dept = { ...item.dept }
  if (!item.given.has('parent')) dept.parent = before.parent
  if (!item.given.has('active')) dept.active = before.active
  return { ...item, dept }
}

function diff(before: Department, after: DeptInput): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {}
  for (const f of ['nameZh', 'nameEn', 'kind', 'parent', 'active'] as const) {
    if (before[f] !== after[f]) out[FILE_FIELDS[f]] = { from: before[f], to: after[f] }
  }
  return out
}

/** auditEntries records each department added or changed, and an import that changed anything. */
function auditEntries(r: SaveResult, opts: SaveOptions): AuditInput[] {
  const base = { at: opts.at, actor: opts.actor }
  const from = { via: opts.via, ...(opts.file ? { file: opts.file } : {}) }
  const out: AuditInput[] = [
    ...r.created.map((d): AuditInput => ({
      ...base, action: 'dept.created', subject: `dept:${d.code}`,
      detail: { ...from, name_zh: d.nameZh, name_en: d.nameEn, kind: d.kind, parent: d.parent, active: d.active },
    })),
    ...r.updated.map((u): AuditInput => ({ ...base, action: 'dept.updated', subject: `dept:${u.dept.code}`, detail: { ...from, changes: u.changes } })),
  ]
  if (opts.file && out.length) {
    out.push({ ...base, action: 'dept.imported', subject: `dept-file:${opts.file}`, detail: { via: opts.via, created: r.created.length, updated: r.updated.length, unchanged: r.unchanged.length } })
  }
  return out
}

function fromRow(r: Row): Department {
  return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, kind: r.kind, parent: r.parent, active: r.active, updatedAt: r.updated_at }
}
