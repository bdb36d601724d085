import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleRequest } from './http-routes.ts'
import { MemorySource, testCard } from './test-cards.ts'
import type { WallSnapshot } from './wall-contract.ts'

describe('http routes', () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'wall-routes-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wall</title>')
  const source = new MemorySource()
  const logs: string[] = []
  let failSnapshot = false
  const deps = {
    source: { now: () => source.now(), live: source.live, snapshot: () => (failSnapshot ? Promise.reject(new Error('db down')) : source.snapshot()) },
    staticDir,
    deptNames: { health: { 'zh-CN': '卫健委', en: 'Health Commission' } },
    log: (m: string) => logs.push(m),
  }
  const server = createServer((req, res) => void handleRequest(deps, req, res))
  let base = ''
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()))
    rmSync(staticDir, { recursive: true, force: true })
  })

  it('answers /healthz', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true })
  })

  it('serves the wall snapshot newest first', async () => {
    source.storeQuietly(testCard('A-1', 'approval.overdue', 'red', 'health', '2026-03-01T08:00:00+08:00'))
    source.storeQuietly(testCard('A-2', 'approval.due_soon', 'yellow', 'health', '2026-03-02T08:00:00+08:00'))
    const r = await fetch(`${base}/api/v1/wall`)
    expect(r.headers.get('content-type')).toContain('application/json')
    const s = (await r.json()) as WallSnapshot
    expect(s.alerts.map((a) => a.caseId)).toEqual(['A-2', 'A-1'])
    expect(s.counts).toEqual({ yellow: 1, red: 1 })
    expect(s.byDept).toEqual([{ dept: 'health', yellow: 1, red: 1 }])
  })

  it('serves department names', async () => {
    expect(await (await fetch(`${base}/api/v1/depts`)).json()).toEqual({ health: { 'zh-CN': '卫健委', en: 'Health Commission' } })
  })

  it('answers unknown API routes with 404 JSON, not the SPA', async () => {
    const r = await fetch(`${base}/api/v2/nothing`)
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({ error: 'no route /api/v2/nothing' })
  })

  it('refuses writes', async () => {
    const r = await fetch(`${base}/api/v1/wall`, { method: 'POST' })
    expect(r.status).toBe(405)
    expect(((await r.json()) as { error: string }).error).toBe('method not allowed')
  })

  it('turns a failing source into a 500 JSON and a log line', async () => {
    failSnapshot = true
    const r = await fetch(`${base}/api/v1/wall`)
    failSnapshot = false
    expect(r.status).toBe(500)
    expect(await r.json()).toEqual({ error: 'internal error' })
    expect(logs.some((l) => l.includes('db down'))).toBe(true)
  })

  it('serves the SPA for everything else', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>wall</title>')
  })
})
