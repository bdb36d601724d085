/**
 * `jiancha user`: console accounts. `add` creates one, reading the password from a
 * line on stdin (--password-stdin) or from a prompt that does not echo; `list` shows
 * them. A password never appears in argv, where `ps` and shell history would keep it.
 */
import { userInfo } from 'node:os'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { appendAudit } from '../../alerts/audit/log.ts'
import { configHelp, loadConfig, type Config } from '../../common/config.ts'
import type { Db } from '../../common/db/db.ts'
import { openConfiguredDb } from '../infra.ts'
import { checkAccount, createUser, listUsers, MIN_PASSWORD, ROLES, UserError } from '../../dashboard/server/accounts/users.ts'
import { Zone } from '../../rules/zone.ts'
import type { Command } from '../command.ts'

const USAGE = 'jiancha user add --username NAME --role ROLE [--dept CODE] [--unmask] [--password-stdin] | list   [--config FILE]'

/** Terminal is where the command reads a password from and prompts on. */
export interface Terminal {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }
  stderr: Writable
}

/** makeUserCommand builds `jiancha user` over a terminal (tests pass their own streams). */
export function makeUserCommand(term: Terminal): Command {
  return {
    summary: 'add and list console accounts (inspector, leader, department, admin)',
    usage: USAGE,
    options: {
      config: { type: 'string', help: 'config file (YAML or JSON); also JIANCHA_CONFIG' },
      username: { type: 'string', help: 'add: the new username (letters, digits, . _ -; case-insensitive)' },
      role: { type: 'string', help: `add: ${ROLES.join(', ')}` },
      dept: { type: 'string', help: 'add: the department code, required for (and only for) role department' },
      unmask: { type: 'boolean', help: 'add: an inspector who may unmask personal data (audited)' },
      'password-stdin': { type: 'boolean', help: 'add: read the password as one line on stdin (else prompt, without echo)' },
    },
    more: () =>
      [
        'Subcommands:',
        `  add    create an account; the password has at least ${MIN_PASSWORD} characters`,
        '  list   every account with its role, department and flags',
        'Example: printf "%s\\n" "$PW" | jiancha user add --username wang --role inspector --unmask --password-stdin',
        '',
        `Settings:\n${configHelp()}`,
      ].join('\n'),
    async run(values, positionals) {
      const [sub, ...args] = positionals
      if ((sub !== 'add' && sub !== 'list') || args.length) {
        throw new Error(`${sub === undefined ? 'missing subcommand' : args.length ? `unexpected "${args[0]}"` : `unknown subcommand "${sub}"`}; usage: ${USAGE}`)
      }
      const cfg = loadConfig({ file: values.config as string | undefined })
      const out = (s: string) => process.stdout.write(`${s}\n`)
      if (sub === 'list') return withDb(cfg, async (db) => list(db, cfg, out))
      if (typeof values.username !== 'string' || typeof values.role !== 'string') throw new Error(`add needs --username and --role; usage: ${USAGE}`)
      const account = { username: values.username, role: values.role, dept: values.dept as string | undefined, canUnmask: values.unmask === true }
      try {
        checkAccount(account)
        const password = values['password-stdin'] ? await readLine(term.stdin) : await prompt(term)
        return await withDb(cfg, async (db) => {
          // The account and its audit row commit together, or neither does.
          const u = await db.transaction(async (tx) => {
            const created = await createUser(tx, { ...account, password })
            await appendAudit(tx, {
              at: Date.now(),
              actor: osUser(),
              action: 'user.created',
              subject: `user:${created.username}`,
              detail: { role: created.role, dept: created.dept, canUnmask: created.canUnmask, via: 'cli' },
            })
            return created
          })
          out(`added ${u.username} (${u.role}${u.dept ? `, department ${u.dept}` : ''}${u.canUnmask ? ', may unmask' : ''})`)
          return 0
        })
      } catch (e) {
        if (!(e instanceof UserError)) throw e
        process.stderr.write(`jiancha user add: ${e.message}\n`)
        return 1
      }
    },
  }
}

/** userCommand is `jiancha user add … | list` on the process's terminal. */
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
