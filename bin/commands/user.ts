/**
 * `jiancha user`: console accounts. `add` creates one and `passwd` sets a new password,
 * reading it from a line on stdin (--password-stdin) or from a prompt that does not
 * echo; `disable` and `enable` take a reason; `list` shows them. A password never
 * appears in argv, where `ps` and shell history would keep it. Every change is audited
 * in the same transaction, with the OS user as its actor.
 */
import { userInfo } from 'node:os'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { appendAudit, type AuditInput } from '../../common/audit/index.ts'
import { configHelp, loadConfig, type Config } from '../../common/config/index.ts'
import type { Db, Queryable } from '../../common/db/index.ts'
import { openConfiguredDb } from '../infra.ts'
import {
  checkAccount, checkPassword, createUser, listUsers, MAX_REASON, MIN_PASSWORD, resetPassword, ROLES, setDisabled, UnknownUserError, UserError, type User,
} from '../../accounts/index.ts'
import { Zone } from '../../common/time/index.ts'
import type { Command } from '../command.ts'

const USAGE = [
  'jiancha user add --username NAME --role ROLE [--dept CODE] [--unmask] [--password-stdin]',
  '| list | disable NAME --reason TEXT | enable NAME --reason TEXT | passwd NAME [--password-stdin]   [--config FILE]',
].join(' ')

/** Terminal is where the command reads a password from and prompts on. */
export interface Terminal {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }
  stderr: Writable
}

type Values = Record<string, string | boolean | undefined>
type Out = (s: string) => void

/** makeUserCommand builds `jiancha user` over a terminal (tests pass their own streams). */
export function makeUserCommand(term: Terminal): Command {
  return {
    summary: 'add, list, disable, enable console accounts and reset their passwords',
    usage: USAGE,
    options: {
      config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
      username: { type: 'string', help: 'add: the new username (letters, digits, . _ -; case-insensitive)' },
      role: { type: 'string', help: `add: ${ROLES.join(', ')}` },
      dept: { type: 'string', help: 'add: the department code, required for (and only for) role department' },
      unmask: { type: 'boolean', help: 'add: an inspector who may unmask personal data (audited)' },
      'password-stdin': { type: 'boolean', help: 'add, passwd: read the password as one line on stdin (else prompt, without echo)' },
      reason: { type: 'string', help: `disable, enable: why (1–${MAX_REASON} characters; audited)` },
    },
    more: () =>
      [
        'Subcommands:',
        `  add            create an account; the password has at least ${MIN_PASSWORD} characters`,
        '  list           every account with its role, department and flags',
        '  disable NAME   refuse the account\'s sign-ins and end all of its sessions at once (--reason required)',
        '  enable NAME    let a disabled account sign in again (--reason required)',
        `  passwd NAME    set a new password (at least ${MIN_PASSWORD} characters) and end all of the account's sessions`,
        'Each change is written to the audit trail (user.created, user.disabled, user.enabled, user.password_reset).',
        'Examples:',
        '  printf "%s\\n" "$PW" | jiancha user add --username wang --role inspector --unmask --password-stdin',
        '  jiancha user disable wang --reason "left the office"',
        '  jiancha user passwd wang            # prompts twice, no echo',
        '',
        `Settings:\n${configHelp()}`,
      ].join('\n'),
    async run(values, positionals) {
      const [sub, ...args] = positionals
      if (!isSubcommand(sub)) throw new Error(`${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}; usage: ${USAGE}`)
      const cfg = loadConfig({ file: values.config as string | undefined })
      const out: Out = (s) => process.stdout.write(`${s}\n`)
      try {
        switch (sub) {
          case 'list':
            noMore(args)
            return await withDb(cfg, (db) => list(db, cfg, out))
          case 'add':
            noMore(args)
            return await add(term, cfg, values, out)
          case 'disable':
          case 'enable':
            return await changeState(cfg, nameOf(sub, args), sub === 'disable', values, out)
          case 'passwd':
            return await passwd(term, cfg, nameOf(sub, args), values, out)
        }
      } catch (e) {
        if (!(e instanceof UserError) && !(e instanceof UnknownUserError)) throw e
        process.stderr.write(`jiancha user ${sub}: ${e.message}\n`)
        return 1
      }
    },
  }
}

const SUBCOMMANDS = ['add', 'list', 'disable', 'enable', 'passwd'] as const

function isSubcommand(s: string | undefined): s is (typeof SUBCOMMANDS)[number] {
  return (SUBCOMMANDS as readonly (string | undefined)[]).includes(s)
}

/** add creates an account; it is checked before the password is asked for. */
async function add(term: Terminal, cfg: Config, values: Values, out: Out): Promise<number> {
  if (typeof values.username !== 'string' || typeof values.role !== 'string') throw new Error(`add needs --username and --role; usage: ${USAGE}`)
  const account = { username: values.username, role: values.role, dept: values.dept as string | undefined, canUnmask: values.unmask === true }
  checkAccount(account)
  const password = await readPassword(term, values)
  return withDb(cfg, async (db) => {
    const u = await audited(db, (tx) => createUser(tx, { ...account, password }), (created) => ({
      action: 'user.created',
      detail: { role: created.role, dept: created.dept, canUnmask: created.canUnmask, via: 'cli' },
    }))
    out(`added ${u.username} (${u.role}${u.dept ? `, department ${u.dept}` : ''}${u.canUnmask ? ', may unmask' : ''})`)
    return 0
  })
}

/** changeState disables or enables an account, with the reason in the audit trail. */
async function changeState(cfg: Config, name: string, disabled: boolean, values: Values, out: Out): Promise<number> {
  const reason = typeof values.reason === 'string' ? values.reason.trim() : ''
  if (!reason || [...reason].length > MAX_REASON) {
    throw new Error(`${disabled ? 'disable' : 'enable'} needs --reason TEXT (1–${MAX_REASON} characters); usage: ${USAGE}`)
  }
  return withDb(cfg, async (db) => {
    const u = await audited(db, (tx) => setDisabled(tx, name, disabled), () => ({
      action: disabled ? 'user.disabled' : 'user.enabled',
      detail: { reason, via: 'cli' },
    }))
    out(disabled ? `disabled ${u.username}; all of its sessions have ended` : `enabled ${u.username}`)
    return 0
  })
}

/** passwd sets a new password, checked before the database is opened, and ends the account's sessions. */
async function passwd(term: Terminal, cfg: Config, name: string, values: Values, out: Out): Promise<number> {
  const password = await readPassword(term, values)
  checkPassword(password)
  return withDb(cfg, async (db) => {
    const u = await audited(db, (tx) => resetPassword(tx, name, password), () => ({ action: 'user.password_reset', detail: { via: 'cli' } }))
    out(`set a new password for ${u.username}; all of its sessions have ended`)
    return 0
  })
}

/** audited runs a change and appends its audit row in one transaction: both commit, or neither. */
async function audited(db: Db, change: (tx: Queryable) => Promise<User>, entry: (u: User) => Pick<AuditInput, 'action' | 'detail'>): Promise<User> {
  return db.transaction(async (tx) => {
    const u = await change(tx)
    await appendAudit(tx, { at: Date.now(), actor: osUser(), subject: `user:${u.username}`, ...entry(u) })
    return u
  })
}

function readPassword(term: Terminal, values: Values): Promise<string> {
  return values['password-stdin'] ? readLine(term.stdin) : prompt(term)
}

/** nameOf is the one NAME a subcommand takes. */
function nameOf(sub: string, args: string[]): string {
  if (args.length !== 1) throw new Error(`${sub} takes one NAME${args.length ? `, got ${args.length}` : ''}; usage: ${USAGE}`)
  return args[0]!
}

function noMore(args: string[]): void {
  if (args.length) throw new Error(`unexpected "${args[0]}"; usage: ${USAGE}`)
}

/** userCommand is `jiancha user` on the process's terminal. */
export const userCommand: Command = makeUserCommand({ stdin: process.stdin, stderr: process.stderr })

async function list(db: Db, cfg: Config, out: (s: string) => void): Promise<number> {
  const users = await listUsers(db)
  const zone = Zone.of(cfg.zone)
  const rows = [['USERNAME', 'ROLE', 'DEPT', 'UNMASK', 'DISABLED', 'CREATED']].concat(
    users.map((u) => [u.username, u.role, u.dept ?? '-', u.canUnmask ? 'yes' : '-', u.disabled ? 'yes' : '-', zone.format(u.createdAt.getTime())]),
  )
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows) out(r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  '))
  if (!users.length) out('(no accounts yet: add one with "jiancha user add --username NAME --role admin")')
  return 0
}

/** readLine reads the first line of a stream (without its line ending); an empty stream is an error. */
async function readLine(input: Readable): Promise<string> {
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false })
  try {
    for await (const line of rl) return line
  } finally {
    rl.close()
  }
  throw new Error('--password-stdin: stdin ended before a line was read')
}

/** prompt asks twice for the password on a terminal, echoing nothing. */
async function prompt(term: Terminal): Promise<string> {
  if (!term.stdin.isTTY || !term.stdin.setRawMode) throw new Error('stdin is not a terminal: pass --password-stdin and send the password as one line')
  const first = await readHidden(term, 'Password: ')
  const again = await readHidden(term, 'Repeat password: ')
  if (first !== again) throw new Error('the two passwords differ')
  return first
}

/** readHidden reads one line in raw mode: Enter ends it, Backspace erases, Ctrl-C aborts. */
function readHidden(term: Terminal, question: string): Promise<string> {
  term.stderr.write(question)
  const stdin = term.stdin
  return new Promise((ok, fail) => {
    let chars: string[] = []
    const done = (err: Error | null) => {
      stdin.off('data', onData)
      stdin.setRawMode!(false)
      stdin.pause()
      term.stderr.write('\n')
      if (err) fail(err)
      else ok(chars.join(''))
    }
    const onData = (buf: Buffer | string) => {
      for (const ch of String(buf)) {
        if (ch === '\r' || ch === '\n') return done(null)
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled'))
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1)
        else if (ch >= ' ') chars.push(ch)
      }
    }
    stdin.setRawMode!(true)
    stdin.setEncoding('utf8')
    stdin.on('data', onData)
    stdin.resume()
  })
}

/** osUser names who ran the command, for the audit trail. */
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
