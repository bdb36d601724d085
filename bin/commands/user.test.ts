import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { openDb, type Db } from '../../common/db/index.ts'
import { Sessions } from '../../accounts/index.ts'
import { embeddedDataDir } from '../../test-support/embeddedDataDir.ts'
import { helpOf, runCommand } from '../command.ts'
import { makeUserCommand, type Terminal } from './user.ts'

/** run runs `jiancha user ARGS` with `stdin` as its input and returns what it printed. */
async function run(stdin: Terminal['stdin'], ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  try {
    return { code: await runCommand('user', makeUserCommand({ stdin, stderr: new PassThrough() }), args), out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}
const lines = (...l: string[]) => Readable.from([l.map((x) => `${x}\n`).join('')])

/** FakeTty is a terminal whose keystrokes the test types, recording whether raw mode was on. */
class FakeTty extends PassThrough {
  isTTY = true
  raw: boolean[] = []
  setRawMode(on: boolean): this {
    this.raw.push(on)
    return this
  }
}

describe('jiancha user on an embedded database', () => {
  const dir = embeddedDataDir('jiancha-user-')

  it('adds an admin with the password from a line on stdin', async () => {
    const r = await run(lines('a long enough password', 'ignored'), 'add', '--username', 'Root', '--role', 'admin', '--password-stdin')
    expect(r).toMatchObject({ code: 0, out: 'added root (admin)\n' })
  })

  it('adds a department user and an unmasking inspector', async () => {
    expect((await run(lines('another long password'), 'add', '--username', 'health-desk', '--role', 'department', '--dept', 'health', '--password-stdin')).out).toBe(
      'added health-desk (department, department health)\n',
    )
    expect((await run(lines('a third long password'), 'add', '--username', 'wang', '--role', 'inspector', '--unmask', '--password-stdin')).out).toBe(
      'added wang (inspector, may unmask)\n',
    )
  })

  it('prompts twice without echo on a terminal, honouring Backspace', async () => {
    const tty = new FakeTty()
    const done = run(tty, 'add', '--username', 'li', '--role', 'leader')
    // Each prompt takes one line; the second arrives after the first is read.
    setTimeout(() => tty.write('a leader password!x\u007f\r'), 20)
    setTimeout(() => tty.write('a leader password!\r'), 200)
    const r = await done
    expect(r).toMatchObject({ code: 0, out: 'added li (leader)\n' })
    expect(tty.raw).toEqual([true, false, true, false])
  })

  it('refuses bad input before asking for a password, and names the problem', async () => {
    const never = new FakeTty()
    const r = await run(never, 'add', '--username', 'x9', '--role', 'department')
    expect(r.code).toBe(1)
    expect(r.err).toContain('a department user needs a department')
    expect(never.raw).toEqual([])
    const short = await run(lines('too short'), 'add', '--username', 'x9', '--role', 'admin', '--password-stdin')
    expect(short).toMatchObject({ code: 1, err: expect.stringContaining('at least 12 characters') })
    const taken = await run(lines('a long enough password'), 'add', '--username', 'ROOT', '--role', 'admin', '--password-stdin')
    expect(taken).toMatchObject({ code: 1, err: expect.stringContaining('"root" is taken') })
  })

  it('needs --password-stdin when stdin is not a terminal', async () => {
    await expect(run(lines('a long enough password'), 'add', '--username', 'x8', '--role', 'admin')).rejects.toThrow(/--password-stdin/)
    await expect(run(Readable.from([]), 'add', '--username', 'x8', '--role', 'admin', '--password-stdin')).rejects.toThrow(/ended before a line/)
  })

  it('records each account created in the audit trail', async () => {
    const db = await openDb({ dataDir: join(dir(), 'pg'), log: () => {} })
    try {
      const r = await db.query<{ action: string; subject: string; detail: Record<string, unknown> }>(
        `SELECT action, subject, detail FROM audit_log WHERE action = 'user.created' ORDER BY seq`,
      )
      expect(r.rows.map((x) => x.subject)).toEqual(['user:root', 'user:health-desk', 'user:wang', 'user:li'])
      expect(r.rows[1]!.detail).toEqual({ role: 'department', dept: 'health', canUnmask: false, via: 'cli' })
    } finally {
      await db.close()
    }
  })

  it('lists the accounts without their password hashes', async () => {
    const r = await run(lines(), 'list')
    expect(r.code).toBe(0)
    const rows = r.out.trim().split('\n').map((l) => l.split(/\s{2,}/))
    expect(rows.map((x) => x.slice(0, 5))).toEqual([
      ['USERNAME', 'ROLE', 'DEPT', 'UNMASK', 'DISABLED'],
      ['health-desk', 'department', 'health', '-', '-'],
      ['li', 'leader', '-', '-', '-'],
      ['root', 'admin', '-', '-', '-'],
      ['wang', 'inspector', '-', 'yes', '-'],
    ])
    expect(r.out).not.toContain('scrypt')
  })

  /** withDb opens the command's database between runs (embedded: one opener at a time). */
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const db = await openDb({ dataDir: join(dir(), 'pg'), log: () => {} })
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  const signIn = (username: string, password: string) =>
    withDb(async (db) => {
      const r = await new Sessions(db).login(username, password, '127.0.0.1')
      return r.ok ? r.token : null
    })
  const live = (token: string) => withDb(async (db) => (await new Sessions(db).userOf(token, { slide: false })) !== null)

  it('disables an account with a reason, ending its sessions at once', async () => {
    const token = await signIn('wang', 'a third long password')
    expect(token).not.toBeNull()
    const r = await run(lines(), 'disable', 'WANG', '--reason', ' 离职 ')
    expect(r).toMatchObject({ code: 0, out: 'disabled wang; all of its sessions have ended\n' })
    expect(await live(token!)).toBe(false)
    expect(await signIn('wang', 'a third long password')).toBeNull()
    const rows = (await run(lines(), 'list')).out.trim().split('\n').map((l) => l.split(/\s{2,}/))
    expect(rows.find((x) => x[0] === 'wang')!.slice(0, 5)).toEqual(['wang', 'inspector', '-', 'yes', 'yes'])
  })

  it('enables it again with a reason', async () => {
    expect(await run(lines(), 'enable', 'wang', '--reason', '返岗')).toMatchObject({ code: 0, out: 'enabled wang\n' })
    expect(await signIn('wang', 'a third long password')).not.toBeNull()
  })

  it('needs one NAME and a reason to disable or enable, and names an unknown account', async () => {
    await expect(run(lines(), 'disable', 'wang')).rejects.toThrow(/disable needs --reason TEXT/)
    await expect(run(lines(), 'enable', 'wang', '--reason', '  ')).rejects.toThrow(/enable needs --reason TEXT/)
    await expect(run(lines(), 'disable', 'wang', '--reason', 'x'.repeat(501))).rejects.toThrow(/1–500 characters/)
    await expect(run(lines(), 'disable', '--reason', '离职')).rejects.toThrow(/disable takes one NAME/)
    await expect(run(lines(), 'enable', 'wang', 'li', '--reason', '返岗')).rejects.toThrow(/enable takes one NAME, got 2/)
    expect(await run(lines(), 'disable', 'ghost', '--reason', '离职')).toMatchObject({ code: 1, err: expect.stringContaining('jiancha user disable: no account named "ghost"\n') })
    expect(await signIn('wang', 'a third long password')).not.toBeNull()
  })

  it('sets a new password from stdin, ending the sessions opened with the old one', async () => {
    const token = await signIn('li', 'a leader password!')
    const r = await run(lines('a new leader password'), 'passwd', 'li', '--password-stdin')
    expect(r).toMatchObject({ code: 0, out: 'set a new password for li; all of its sessions have ended\n' })
    expect(await live(token!)).toBe(false)
    expect(await signIn('li', 'a leader password!')).toBeNull()
    expect(await signIn('li', 'a new leader password')).not.toBeNull()
  })

  it('prompts twice without echo for a new password, and refuses a short or unknown one', async () => {
    const tty = new FakeTty()
    const done = run(tty, 'passwd', 'health-desk')
    setTimeout(() => tty.write('the desk password 2\r'), 20)
    setTimeout(() => tty.write('the desk password 2\r'), 200)
    expect(await done).toMatchObject({ code: 0, out: 'set a new password for health-desk; all of its sessions have ended\n' })
    expect(tty.raw).toEqual([true, false, true, false])
    expect(await signIn('health-desk', 'the desk password 2')).not.toBeNull()
    expect(await run(lines('too short'), 'passwd', 'li', '--password-stdin')).toMatchObject({ code: 1, err: expect.stringContaining('at least 12 characters') })
    expect(await run(lines('a long enough password'), 'passwd', 'ghost', '--password-stdin')).toMatchObject({ code: 1, err: expect.stringContaining('"ghost"') })
    await expect(run(lines('a long enough password'), 'passwd', 'li')).rejects.toThrow(/--password-stdin/)
    expect(await signIn('li', 'a new leader password')).not.toBeNull()
  })

  it('records each change in the audit trail with the OS user, and never a password', async () => {
    const rows = await withDb(async (db) =>
      (await db.query<{ actor: string; action: string; subject: string; detail: Record<string, unknown> }>(
        `SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'user.%' AND action NOT LIKE 'user.login%' ORDER BY seq`,
      )).rows,
    )
    const changes = rows.filter((x) => x.action !== 'user.created')
    expect(changes.map((x) => [x.action, x.subject, x.detail])).toEqual([
      ['user.disabled', 'user:wang', { reason: '离职', via: 'cli' }],
      ['user.enabled', 'user:wang', { reason: '返岗', via: 'cli' }],
      ['user.password_reset', 'user:li', { via: 'cli' }],
      ['user.password_reset', 'user:health-desk', { via: 'cli' }],
    ])
    expect(new Set(rows.map((x) => x.actor))).toEqual(new Set([rows[0]!.actor]))
    expect(rows[0]!.actor).not.toBe('')
    expect(JSON.stringify(rows)).not.toMatch(/password!|new leader password|desk password/)
  })

  it('documents every subcommand in its help', () => {
    const help = helpOf('user', makeUserCommand({ stdin: new PassThrough(), stderr: new PassThrough() }))
    for (const s of ['add --username NAME', 'list', 'disable NAME --reason TEXT', 'enable NAME --reason TEXT', 'passwd NAME [--password-stdin]']) expect(help).toContain(s)
    for (const s of ['  add ', '  list ', '  disable NAME ', '  enable NAME ', '  passwd NAME ', '--reason VALUE', 'user.password_reset']) expect(help).toContain(s)
  })

  it('rejects an unknown subcommand', async () => {
    await expect(run(lines(), 'remove')).rejects.toThrow(/unknown subcommand "remove"/)
  })
})
