import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDb } from '../../common/db/db.ts'
import { runCommand } from '../command.ts'
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
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jiancha-user-'))
    vi.stubEnv('JIANCHA_DATA_DIR', dir)
    vi.stubEnv('DATABASE_URL', '')
    vi.stubEnv('JIANCHA_CONFIG', '')
  })
  afterAll(() => {
    vi.unstubAllEnvs()
    rmSync(dir, { recursive: true, force: true })
  })

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
    const db = await openDb({ dataDir: join(dir, 'pg'), log: () => {} })
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

  it('rejects an unknown subcommand', async () => {
    await expect(run(lines(), 'remove')).rejects.toThrow(/unknown subcommand "remove"/)
  })
})
