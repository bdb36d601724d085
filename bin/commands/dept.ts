/**
 * `jiancha dept`: the department registry (docs/departments.md). `import FILE` checks a
 * CSV or YAML file and applies it whole in one transaction, or nothing of it; `list`
 * prints the registry. A department the file leaves out stays as it is: departments
 * are deactivated (active false), never deleted. Every change is audited in the same
 * transaction, with the OS user (or --by) as its actor.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { userInfo } from 'node:os'
import { ESCALATION_LIST_NAMES } from '../../alerts/index.ts'
import { configHelp, loadConfig, type Config } from '../../common/config/index.ts'
import type { DepartmentView } from '../../common/contract/index.ts'
import type { Db } from '../../common/db/index.ts'
import {
  DEFAULT_WATCH_MS, DeptFieldError, FILE_FORMATS, type FileFormat, KIND_NAMES, listDepartments, MAX_ENTRIES, parseDepartmentsFile, saveDepartments,
} from '../../common/departments/index.ts'
import { Zone } from '../../common/time/index.ts'
import { openConfiguredDb } from '../infra.ts'
import type { Command } from '../command.ts'

const USAGE = 'jiancha dept import FILE [--format csv|yaml] [--by NAME] | list [--all] [--json]   [--config FILE]'

type Out = (s: string) => void

/** deptCommand is `jiancha dept import FILE | list`. */
export const deptCommand: Command = {
  summary: 'the department registry: import departments from CSV or YAML, list them',
  usage: USAGE,
  options: {
    config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
    format: { type: 'string', help: `import: ${FILE_FORMATS.join(' or ')} whatever the file's name (default: by its extension)` },
    by: { type: 'string', help: 'import: who imports, the actor of the audit rows (default: the OS user)' },
    all: { type: 'boolean', help: 'list: deactivated departments too' },
    json: { type: 'boolean', help: 'list: JSON, one array, instead of a table' },
  },
  more: () =>
    [
      'Subcommands:',
      '  import FILE   check the file and apply it in one transaction: all of it, or nothing if any',
      '                line is wrong (the error names the line and the field). A department the file',
      '                lists is added or changed; importing the same file again changes nothing.',
      '                A department the file leaves out is NOT deleted: to retire one, list it with',
      '                active false.',
      '  list          the active departments (--all: every one), by code',
      '',
      'File: CSV with the header row code,name_zh,name_en,kind,parent,active, or YAML, a list of',
      'entries with the same keys (or "departments:" holding the list), at most ' + `${MAX_ENTRIES} departments.`,
      '  code     as the source systems send it: ASCII letters, digits and _ . : -, at most 100',
      '  name_zh  the Chinese name, at most 20 characters: it heads every text message',
      '  name_en  the English name, at most 100 characters',
      `  kind     ${Object.entries(KIND_NAMES).map(([k, n]) => `${k} (${n['zh-CN']})`).join(', ')}`,
      '  parent   the code of the department it belongs to (optional; blank: none)',
      '  active   true or false (optional; blank: true)',
      'A column (or YAML key) left out keeps what a known department has; a new one gets no parent',
      'and is active.',
      'Example (CSV):',
      '  code,name_zh,name_en,kind,parent,active',
      '  market,市场监管局,Market Regulation Bureau,supervision,,true',
      '  oldtax,原税务分局,Former Tax Branch,service,,false',
      'Each change is written to the audit trail (dept.created, dept.updated, dept.imported).',
      `A running platform on PostgreSQL picks the change up within ${DEFAULT_WATCH_MS / 1000} s; the embedded database`,
      'belongs to one process: import while the platform is stopped, or use the page #/departments.',
      'See docs/departments.md.',
      '',
      `Settings:\n${configHelp()}`,
    ].join('\n'),
  async run(values, positionals) {
    const [sub, ...args] = positionals
    if (sub !== 'import' && sub !== 'list') throw new Error(`${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}; usage: ${USAGE}`)
    const cfg = loadConfig({ file: values.config as string | undefined })
    const out: Out = (s) => process.stdout.write(`${s}\n`)
    if (sub === 'import') {
      if (args.length !== 1) throw new Error('import needs exactly one FILE, e.g. jiancha dept import departments.csv')
      const format = values.format === undefined ? undefined : parseFormat(values.format)
      const by = typeof values.by === 'string' && values.by.trim() ? values.by.trim() : osUser()
      return withDb(cfg, (db) => importFile(db, args[0]!, format, by, out))
    }
    if (args.length) throw new Error('list takes no arguments')
    if (values.format !== undefined || values.by !== undefined) throw new Error('--format and --by are options of import')
    return withDb(cfg, (db) => list(db, cfg, values.all === true, values.json === true, out))
  },
}

async function importFile(db: Db, file: string, format: FileFormat | undefined, by: string, out: Out): Promise<number> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
  const entries = parseDepartmentsFile(text, file, format)
  let r
  try {
    r = await saveDepartments(db, entries, { actor: by, via: 'import', at: Date.now(), file: basename(file), reserved: new Set(Object.keys(ESCALATION_LIST_NAMES)) })
  } catch (e) {
    // The registry's checks (parents, loops, the platform's lists) name the line; the file goes in front.
    if (e instanceof DeptFieldError) throw new Error(`${file} ${e.message}`)
    throw e
  }
  out(`imported ${file}: ${r.created.length} added, ${r.updated.length} changed, ${r.unchanged.length} unchanged`)
  for (const d of r.created) out(`  + ${d.code}  ${d.nameZh}${d.active ? '' : '  (inactive)'}`)
  for (const u of r.updated) {
    const what = Object.entries(u.changes).map(([field, c]) => `${field} ${show(c.from)} → ${show(c.to)}`).join('; ')
    out(`  ~ ${u.dept.code}  ${what}`)
  }
  return 0
}

async function list(db: Db, cfg: Config, all: boolean, json: boolean, out: Out): Promise<number> {
  const zone = Zone.of(cfg.zone)
  const depts = await listDepartments(db, { all })
  if (json) {
    out(JSON.stringify(depts.map((d): DepartmentView => ({
      code: d.code, names: { 'zh-CN': d.nameZh, en: d.nameEn }, kind: d.kind, parent: d.parent, active: d.active, updatedAt: zone.format(d.updatedAt.getTime()),
    })), null, 2))
    return 0
  }
  if (!depts.length) {
    out(all ? 'no department is registered: import some with "jiancha dept import FILE"' : 'no active department (--all lists the deactivated ones)')
    return 0
  }
  const rows = depts.map((d) => [d.code, d.nameZh, d.nameEn, `${d.kind} ${KIND_NAMES[d.kind]['zh-CN']}`, d.parent ?? '-', ...(all ? [d.active ? 'active' : 'inactive'] : [])])
  const head = ['code', 'name_zh', 'name_en', 'kind', 'parent', ...(all ? ['active'] : [])]
  for (const line of table([head, ...rows])) out(line)
  return 0
}

/** table pads columns, counting CJK characters as two columns. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]!))))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c)))).join('  '))
}

function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1
  return w
}

function show(v: string | boolean | null): string {
  return v === null ? '(none)' : typeof v === 'string' ? `"${v}"` : String(v)
}

function parseFormat(v: string | boolean): FileFormat {
  if (typeof v === 'string' && (FILE_FORMATS as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as FileFormat
  throw new Error(`--format must be ${FILE_FORMATS.join(' or ')}, got "${String(v)}"`)
}

function osUser(): string {
  try {
    return userInfo().username || 'cli'
  } catch {
    // no passwd entry for the uid (some containers)
    return process.env.USER || 'cli'
  }
}

async function withDb(cfg: Config, fn: (db: Db) => Promise<number>): Promise<number> {
  const db = await openConfiguredDb(cfg)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
