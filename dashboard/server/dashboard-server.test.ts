import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io as connect } from 'socket.io-client'
import { afterAll, describe, expect, it } from 'vitest'
import { serverUrl, startDashboardServer } from './dashboard-server.ts'
import { MemorySource, testCard } from './test-cards.ts'
import type { AlertView } from './wall-contract.ts'

describe('startDashboardServer', () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'wall-server-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wall</title>')
  afterAll(() => rmSync(staticDir, { recursive: true, force: true }))

  it('binds port 0, reports the real URL, relays alerts, and closes cleanly', async () => {
    const source = new MemorySource()
    const logs: string[] = []
    const server = await startDashboardServer({ host: '127.0.0.1', port: 0, source, staticDir, log: (m) => logs.push(m) })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)
    expect(logs).toEqual([`dashboard: listening on ${server.url}`])
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    const client = connect(server.url, { transports: ['websocket'], reconnection: false })
    await new Promise((ok) => client.once('connect', () => ok(undefined)))
    const got = new Promise<AlertView>((ok) => client.once('alert', ok))
    source.store(testCard('S-1', 'supervision.overdue', 'red', 'gov', '2026-03-02T09:00:00+08:00'))
    expect((await got).caseId).toBe('S-1')

    const dropped = new Promise<string>((ok) => client.once('disconnect', ok))
    server.disconnectClients()
    expect(await dropped).toBe('io server disconnect')

    await server.close()
    await server.close() // idempotent
    expect(source.live.observed).toBe(false)
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    client.close()
  })

  it('turns wildcard addresses into ones a local browser can open', () => {
    expect(serverUrl({ address: '0.0.0.0', family: 'IPv4', port: 8080 })).toBe('http://127.0.0.1:8080')
    expect(serverUrl({ address: '::', family: 'IPv6', port: 8080 })).toBe('http://[::1]:8080')
    expect(serverUrl({ address: '10.1.2.3', family: 'IPv4', port: 80 })).toBe('http://10.1.2.3:80')
  })
})
