import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const fixture = fileURLToPath(new URL('./testdata/reaperChild.ts', import.meta.url))

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

async function runFixture(how: string): Promise<{ pid: number; code: number | null; signal: string | null }> {
  const p = spawn(process.execPath, ['--import', 'tsx', fixture, how], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  p.stdout.on('data', (b: Buffer) => (out += b.toString()))
  const [code, signal] = (await once(p, 'exit')) as [number | null, string | null]
  return { pid: Number(out.trim()), code, signal }
}

describe.concurrent('reapOnExit', () => {
  it('terminates registered children when the parent exits normally', async () => {
    const r = await runFixture('exit')
    expect(r.pid).toBeGreaterThan(0)
    expect(r.code).toBe(0)
    expect(await waitGone(r.pid)).toBe(true)
  })

  it.each(['SIGTERM', 'SIGINT'])('terminates children on %s and still lets the parent die of it', async (sig) => {
    const r = await runFixture(sig)
    expect(r.pid).toBeGreaterThan(0)
    expect(r.signal).toBe(sig)
    expect(await waitGone(r.pid)).toBe(true)
  })
})
