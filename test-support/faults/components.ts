/**
 * The platform's components as the separate processes an operator runs
 * (`jiancha collector|rules|alerts`), for tests that kill them with SIGKILL and start
 * them again, and for bench:e2e, which reads their memory. Each writes its log to a
 * file, so a failing test can show it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { NODE_FLAGS } from '../../common/config/index.ts'

const BIN = fileURLToPath(new URL('../../bin/jiancha.js', import.meta.url))

/** Component is one running part of the platform. */
export interface Component {
  name: string
  /** kill9 kills it with SIGKILL: no shutdown, nothing flushed */
  kill9(): Promise<void>
  /** start starts it again with the same settings and waits until it says it runs */
  start(): Promise<void>
  /** stop ends it with SIGTERM, as Ctrl-C would */
  stop(): Promise<void>
  /** log is what it wrote so far */
  logFile: string
  /** pid is its process id while it runs */
  pid(): number | undefined
}

/** ProcessPart is a component command, or `start` (all of them in one process, here without the simulator). */
export type ProcessPart = 'collector' | 'rules' | 'alerts' | 'dashboard' | 'start'

/** startComponent runs `jiancha <part>` with env on top of a clean environment, and waits for its "running" line. */
export async function startComponent(part: ProcessPart, env: Record<string, string>, logFile: string): Promise<Component> {
  const args = part === 'start' ? ['start', '--no-simulator'] : [part]
  const ready = part === 'start' ? 'Jiancha is running' : `${part} running`
  let proc: ChildProcess | null = null
  let out: WriteStream | null = null
  const start = () =>
    new Promise<void>((resolve, reject) => {
      out = createWriteStream(logFile, { flags: 'a' })
      const p = spawn(process.execPath, [...NODE_FLAGS, BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      proc = p
      let seen = ''
      const timer = setTimeout(() => reject(new Error(`${part} did not start within 60 s; see ${logFile}`)), 60_000)
      const onData = (b: Buffer) => {
        if (out && !out.writableEnded) out.write(b)
        if (seen !== null) {
          seen = (seen + b.toString()).slice(-4000)
          if (seen.includes(ready)) {
            clearTimeout(timer)
            resolve()
          }
        }
      }
      p.stdout!.on('data', onData)
      p.stderr!.on('data', onData)
      p.once('exit', (code, signal) => {
        clearTimeout(timer)
        out?.end(`\n--- ${part} exited: ${code ?? signal}\n`)
        reject(new Error(`${part} exited (${code ?? signal}) before it ran; see ${logFile}`))
      })
    })
  const end = (signal: NodeJS.Signals) => async () => {
    const p = proc
    proc = null
    if (!p || p.exitCode !== null || p.signalCode !== null) return
    await new Promise<void>((r) => {
      p.once('exit', () => r())
      p.kill(signal)
    })
  }
  await start()
  return { name: part, kill9: end('SIGKILL'), start, stop: end('SIGTERM'), logFile, pid: () => proc?.pid }
}
