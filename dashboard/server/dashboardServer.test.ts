import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverUrl, startDashboardServer } from './dashboardServer.ts'
import { openTestAccounts, type TestAccounts } from './testdata/accounts.ts'
import { MemorySource, testCard, testSms } from './testdata/cards.ts'
import type { AlertView, SmsView } from '../../common/contract/index.ts'

/** signedIn connects a socket with a session cookie, as a browser on the wall's page would. */
function socketOf(url: string, cookie?: string): Socket {
  return connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: cookie ? { cookie } : {} })
}

describe('startDashboardServer', () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'wall-server-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wall</title>')
  let accounts: TestAccounts
  beforeAll(async () => {
    accounts = await openTestAccounts()
  })
  afterAll(async () => {
    rmSync(staticDir, { recursive: true, force: true })
    await accounts?.close()
  })

  it('binds port 0, reports the real URL, relays alerts to the signed in, and closes cleanly', async () => {
    const source = new MemorySource()
    const logs: string[] = []
    const server = await startDashboardServer({ host: '127.0.0.1', port: 0, source, staticDir, sessions: accounts.sessions, log: (m) => logs.push(m) })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)
    expect(logs).toEqual([`dashboard: listening on ${server.url}`])
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    expect(server.sockets()).toBe(0)
    const client = socketOf(server.url, accounts.cookie('wang'))
    await new Promise((ok) => client.once('connect', () => ok(undefined)))
    expect(server.sockets()).toBe(1)
    const got = new Promise<AlertView>((ok) => client.once('alert', ok))
    source.store(testCard('S-1', 'supervision.overdue', 'red', 'gov', '2026-03-02T09:00:00+08:00'))
    expect((await got).caseId).toBe('S-1')

    const dropped = new Promise<string>((ok) => client.once('disconnect', ok))
    server.disconnectClients()
    expect(await dropped).toBe('io server disconnect')

    await server.close()
    await server.close() // idempotent
    expect(source.live.observed).toBe(false)
    expect(source.liveSms.observed).toBe(false)
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    client.close()
  })

  it('refuses the wall and its socket without a session, and cuts a department to its own', async () => {
    const source = new MemorySource()
    source.storeQuietly(testCard('A-1', 'approval.overdue', 'red', 'health', '2026-03-02T08:00:00+08:00'))
    source.storeQuietly(testCard('A-2', 'approval.overdue', 'red', 'market', '2026-03-02T08:30:00+08:00'))
    const server = await startDashboardServer({ host: '127.0.0.1', port: 0, source, staticDir, sessions: accounts.sessions, log: () => {} })
    try {
      expect((await fetch(`${server.url}/api/v1/wall`)).status).toBe(401)
      expect((await fetch(`${server.url}/api/v1/depts`)).status).toBe(401)
      // the SPA itself loads signed out: it shows the sign-in page
      expect((await fetch(`${server.url}/`)).status).toBe(200)

      const anon = socketOf(server.url)
      expect(await new Promise<string>((ok) => anon.once('connect_error', (e) => ok(e.message)))).toBe('not signed in')
      anon.close()

      const wall = async (who: string) => (await (await fetch(`${server.url}/api/v1/wall`, { headers: { cookie: accounts.cookie(who) } })).json()) as { alerts: AlertView[]; scope: unknown }
      expect((await wall('health-desk')).alerts.map((a) => a.caseId)).toEqual(['A-1'])
      expect((await wall('health-desk')).scope).toEqual({ dept: 'health' })
      expect((await wall('li')).alerts.map((a) => a.caseId)).toEqual(['A-2', 'A-1'])

      const health = socketOf(server.url, accounts.cookie('health-desk'))
      const leader = socketOf(server.url, accounts.cookie('li'))
      await Promise.all([health, leader].map((s) => new Promise((ok) => s.once('connect', () => ok(undefined)))))
      const seen = { health: [] as string[], leader: [] as string[], healthSms: [] as number[], leaderSms: [] as number[] }
      health.on('alert', (a: AlertView) => seen.health.push(a.caseId))
      leader.on('alert', (a: AlertView) => seen.leader.push(a.caseId))
      health.on('sms', (m: SmsView) => seen.healthSms.push(m.id))
      leader.on('sms', (m: SmsView) => seen.leaderSms.push(m.id))
      source.store(testCard('M-9', 'approval.overdue', 'red', 'market', '2026-03-02T09:00:00+08:00'))
      source.sendSms(testSms(1, 'market'))
      source.sendSms(testSms(2, null))
      source.store(testCard('H-9', 'approval.overdue', 'red', 'health', '2026-03-02T09:01:00+08:00'))
      source.sendSms(testSms(3, 'health'))
      await expect.poll(() => seen.leaderSms).toEqual([1, 2, 3])
      await expect.poll(() => seen.health).toEqual(['H-9'])
      expect(seen.leader).toEqual(['M-9', 'H-9'])
      expect(seen.healthSms).toEqual([3])
      health.close()
      leader.close()
    } finally {
      await server.close()
    }
  })

  it('drops the socket of a session that ended', async () => {
    const source = new MemorySource()
    const login = await accounts.sessions.login('market-desk', 'a long enough password', '127.0.0.1')
    if (!login.ok) throw new Error('sign-in failed')
    const server = await startDashboardServer({ host: '127.0.0.1', port: 0, source, staticDir, sessions: accounts.sessions, sessionCheckMs: 50, log: () => {} })
    try {
      const s = socketOf(server.url, `jiancha_session=${login.token}`)
      await new Promise((ok) => s.once('connect', () => ok(undefined)))
      const gone = new Promise<string>((ok) => s.once('disconnect', ok))
      await accounts.sessions.logout(login.token)
      expect(await gone).toBe('io server disconnect')
      s.close()
    } finally {
      await server.close()
    }
  })

  it('turns wildcard addresses into ones a local browser can open', () => {
    expect(serverUrl({ address: '0.0.0.0', family: 'IPv4', port: 8080 })).toBe('http://127.0.0.1:8080')
    expect(serverUrl({ address: '::', family: 'IPv6', port: 8080 })).toBe('http://[::1]:8080')
    expect(serverUrl({ address: '10.1.2.3', family: 'IPv4', port: 80 })).toBe('http://10.1.2.3:80')
  })
})
