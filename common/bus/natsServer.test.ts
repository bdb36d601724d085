import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findNatsServer, NATS_SERVER_NOT_FOUND, startNatsServer } from './natsServer.ts'

const dir = mkdtempSync(join(tmpdir(), 'jiancha-natsserver-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port })
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

describe('startNatsServer', () => {
  it('starts a JetStream server on a free loopback port and stops it idempotently', async () => {
    const srv = await startNatsServer({ storeDir: join(dir, 'a') })
    expect(srv.url).toBe(`nats://127.0.0.1:${srv.port}`)
    expect(await canConnect(srv.port)).toBe(true)
    await Promise.all([srv.stop(), srv.stop()])
    await srv.stop()
    expect(await canConnect(srv.port)).toBe(false)
  })

  it('explains how to install nats-server when the binary is missing', async () => {
    const binary = join(dir, 'no-such-nats-server')
    expect(findNatsServer(binary)).toBeNull()
    await expect(startNatsServer({ storeDir: join(dir, 'b'), binary })).rejects.toThrow(NATS_SERVER_NOT_FOUND)
    expect(NATS_SERVER_NOT_FOUND).toContain('sudo apt-get install nats-server')
    expect(NATS_SERVER_NOT_FOUND).toContain('NATS_URL')
  })

  it('reports the server output when the server cannot start', async () => {
    const srv = await startNatsServer({ storeDir: join(dir, 'c') })
    try {
      // Same port is taken, so the second server exits at once.
      await expect(startNatsServer({ storeDir: join(dir, 'd'), port: srv.port })).rejects.toThrow(
        /exited[\s\S]*nats-server output[\s\S]*address already in use/,
      )
    } finally {
      await srv.stop()
    }
  })
})
