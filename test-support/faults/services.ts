/**
 * The services a fault test breaks on purpose: a private PostgreSQL cluster (initdb +
 * pg_ctl on a port of its own, never the machine's server) that can be stopped and
 * started, and a nats-server with JetStream that can be killed with SIGKILL.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { findNatsServer } from '../../common/bus/index.ts'

/** freePort asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** pgBin finds the PostgreSQL server binaries (Debian keeps them under /usr/lib/postgresql/N/bin). */
export function pgBin(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    if (existsSync(join(dir, 'initdb'))) return dir
  } catch {
    // no pg_config: look where Debian puts them
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin')
  return null
}

/** PrivatePostgres is a cluster of this test's own. */
export interface PrivatePostgres {
  port: number
  /** url of a database on it */
  url(db: string): string
  createDb(name: string): Promise<string>
  /** stop shuts the server down at once (immediate: like a crash, the clients see resets) */
  stop(): void
  start(): void
  dispose(): void
}

/** startPrivatePostgres initdb's a cluster in a temporary folder and starts it; as root it runs as user postgres. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = pgBin()
  if (!bin) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql')
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-pg-'))
  const data = join(dir, 'data')
  const port = await freePort()
  const asRoot = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) => {
    if (!asRoot) return execFileSync(join(bin, cmd), args, { stdio: 'pipe' })
    const quoted = [join(bin, cmd), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' })
  }
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })))
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const start = () => {
    run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, '-l', join(dir, 'log'), '-w', 'start'])
  }
  start()
  return {
    port,
    url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async createDb(name) {
      const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` })
      await c.connect()
      try {
        await c.query(`CREATE DATABASE ${name}`)
      } finally {
        await c.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    dispose() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** KillableNats is a nats-server with JetStream whose process the test may kill. */
export interface KillableNats {
  url: string
  /** kill9 kills the server with SIGKILL, as a crash would */
  kill9(): Promise<void>
  /** start starts it again on the same port and store */
  start(): Promise<void>
  dispose(): Promise<void>
}

/** startKillableNats starts a nats-server -js on a free port with a store of its own. */
export async function startKillableNats(): Promise<KillableNats> {
  const binary = findNatsServer()
  if (!binary) throw new Error('no nats-server binary')
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-nats-'))
  mkdirSync(join(dir, 'store'))
  const port = await freePort()
  let proc: ChildProcess | null = null
  const start = async () => {
    proc = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'store')], { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      if (await listening(port)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('nats-server did not start')
  }
  const kill9 = async () => {
    const p = proc
    proc = null
    if (!p || p.exitCode !== null) return
    await new Promise<void>((r) => {
      p.once('exit', () => r())
      p.kill('SIGKILL')
    })
  }
  await start()
  return {
    url: `nats://127.0.0.1:${port}`,
    kill9,
    start,
    async dispose() {
      await kill9()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** listening tells whether something accepts connections on the port (a connect, never a bind, which could take it). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1')
    c.once('connect', () => {
      c.destroy()
      resolve(true)
    })
    c.once('error', () => resolve(false))
  })
}
