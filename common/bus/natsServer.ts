/**
 * startNatsServer runs a private JetStream-enabled nats-server on a loopback port,
 * for tests and for the single-machine "jiancha start" mode.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { reapOnExit } from './reaper.ts'

/** NATS_SERVER_NOT_FOUND is the message of the error thrown when no nats-server binary can be found. */
export const NATS_SERVER_NOT_FOUND =
  'nats-server not found. Install it with: sudo apt-get install nats-server (Debian/Ubuntu), ' +
  'or download from https://github.com/nats-io/nats-server/releases, or set NATS_URL to an existing server.'

/** NatsServerOptions configures startNatsServer. */
export interface NatsServerOptions {
  /** JetStream store directory (created if missing); reuse it to keep streams across restarts. */
  storeDir: string
  log?: (m: string) => void
  /** Binary path or name; defaults to "nats-server" looked up in PATH, /usr/sbin and /usr/local/bin. */
  binary?: string
  /** Fixed port, e.g. to restart a server where clients expect it; defaults to a free one. */
  port?: number
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number
}

/** NatsServer is a running child nats-server. */
export interface NatsServer {
  url: string
  port: number
  /** stop terminates the server (SIGTERM, SIGKILL after 5 s); calling it again is harmless. */
  stop(): Promise<void>
}

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/bin', '/usr/bin']
const STDERR_TAIL = 4000
const KILL_AFTER_MS = 5000

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** findNatsServer returns the path of the nats-server binary, or null when there is none. */
export function findNatsServer(binary = 'nats-server'): string | null {
  if (binary.includes('/')) return isExecutable(binary) ? binary : null
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS]
  for (const dir of dirs) {
    const candidate = join(dir, binary)
    if (isExecutable(candidate)) return candidate
  }
  return null
}

/** freeLoopbackPort asks the OS for a currently unused port on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

/** startNatsServer spawns nats-server with JetStream and resolves once it accepts client connections. */
export async function startNatsServer(opts: NatsServerOptions): Promise<NatsServer> {
  const bin = findNatsServer(opts.binary)
  if (!bin) throw new Error(NATS_SERVER_NOT_FOUND)
  mkdirSync(opts.storeDir, { recursive: true })
  // A free port can be taken between probing and binding; retry a few times then.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freeLoopbackPort())
    try {
      return await launch(bin, port, opts)
    } catch (err) {
      const portRace = opts.port === undefined && /address already in use/i.test(String(err))
      if (!portRace || attempt >= 3) throw err
    }
  }
}

async function launch(bin: string, port: number, opts: NatsServerOptions): Promise<NatsServer> {
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', opts.storeDir]
  // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the server after our consumers.
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const forget = reapOnExit(child)
  // The server must never keep Node alive on its own; the reaper ends it at exit.
  child.unref()
  let tail = ''
  let serverId: string | undefined
  const onOutput = (b: Buffer): void => {
    const text = b.toString()
    tail = (tail + text).slice(-STDERR_TAIL)
    // The banner's "ID:" line tells us which server on this port is ours.
    serverId ??= /\bID:\s+(N[A-Z0-9]+)\s/.exec(tail)?.[1]
    if (opts.log) for (const line of text.split('\n')) if (line.trim()) opts.log(`[nats-server:${port}] ${line}`)
  }
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', onOutput)
    ;(stream as unknown as { unref?: () => void }).unref?.()
  }
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))

  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => (stopping ??= terminate(child, exited).finally(forget))

  try {
    await waitReady(child, port, opts.startTimeoutMs ?? 10_000, () => serverId)
  } catch (err) {
    await stop()
    throw new Error(`${(err as Error).message}\n--- nats-server output (tail) ---\n${tail}`)
  }
  opts.log?.(`nats-server ready on nats://127.0.0.1:${port} (store ${opts.storeDir})`)
  return { url: `nats://127.0.0.1:${port}`, port, stop }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  // A child that never spawned (pid undefined) has nothing to terminate or wait for.
  if (child.pid === undefined) return
  if (child.exitCode !== null || child.signalCode !== null) return exited
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), KILL_AFTER_MS)))
  if (await Promise.race([exited.then(() => false), timedOut])) child.kill('SIGKILL')
  clearTimeout(timer)
  await exited
}

// waitReady polls the port until *our* server greets: another process may already
// hold the port, so the INFO server_id must match the ID our child logged.
// It fails fast if the child dies (bad flags, port in use, unwritable store).
async function waitReady(child: ChildProcess, port: number, timeoutMs: number, ownId: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let spawnError: Error | null = null
  child.once('error', (e) => (spawnError = e))
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`cannot run nats-server: ${(spawnError as Error).message}`)
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nats-server exited (${child.exitCode ?? child.signalCode}) before accepting connections`)
    }
    const id = ownId()
    if (id && (await serverIdAt(port)) === id) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nats-server did not accept connections on port ${port} within ${timeoutMs} ms`)
}

// serverIdAt reads the INFO greeting on a port and returns its server_id, if any.
function serverIdAt(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port })
    let buf = ''
    const done = (id: string | null): void => {
      sock.destroy()
      resolve(id)
    }
    sock.setTimeout(1000, () => done(null))
    sock.once('error', () => done(null))
    sock.on('data', (b: Buffer) => {
      buf += b.toString()
      const eol = buf.indexOf('\r\n')
      if (eol < 0) return
      const line = buf.slice(0, eol)
      try {
        done(line.startsWith('INFO ') ? String(JSON.parse(line.slice(5)).server_id ?? '') || null : null)
      } catch {
        done(null)
      }
    })
  })
}
