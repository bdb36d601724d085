/**
 * Test support: a whole platform on real services — a private nats-server, a real
 * database (embedded PGlite, or PostgreSQL when TEST_DATABASE_URL is set) — with a
 * clock the test moves by hand.
 */
import { startTestServer, type TestServer } from '../common/bus/testdata/harness.ts'
import type { Clock } from '../common/time/index.ts'
import { type Config, loadConfig, type SourceToken } from '../common/config/index.ts'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Db } from '../common/db/index.ts'
import { logger } from '../common/log/index.ts'
import { startPlatform, type Part, type Platform } from '../bin/platform.ts'
import { createUser, findUser } from '../accounts/index.ts'

export const TOKEN = 'test-source-token-0123456789'
/** TEST_AUDIT_KEY signs every test platform's audit checkpoints. */
export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789'
/** INSPECTOR_TOKEN is the bearer token of inspector INSPECTOR, known to every test platform. */
export const INSPECTOR_TOKEN = 'test-inspector-token-0123456789'
export const INSPECTOR = 'inspector-wang'

/** ManualClock is a platform clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t
  }
  set(iso: string): void {
    this.t = Date.parse(iso)
  }
}

/** TestPlatformOptions overrides the test configuration. */
export interface TestPlatformOptions {
  /** inspectors allowed to flag cases; INSPECTOR alone by default */
  inspectors?: SourceToken[]
  /** JIANCHA_ZONE; the default zone by default. Open the db with the same zone. */
  zone?: string
  /** more settings, e.g. `{ smsProvider: 'fake', twilioBaseUrl }` */
  config?: Partial<Record<keyof Config, unknown>>
}

/** startTestPlatform starts the given parts (collector, rules, alerts and dashboard by default) over the given db and nats, every server on a free port. */
export async function startTestPlatform(
  db: Db,
  nats: TestServer,
  clock: Clock,
  parts: Part[] = ['collector', 'rules', 'alerts', 'dashboard'],
  opts: TestPlatformOptions = {},
): Promise<Platform> {
  const inspectors = opts.inspectors ?? [{ name: INSPECTOR, token: INSPECTOR_TOKEN }]
  const cfg = loadConfig({
    env: {},
    overrides: {
      natsUrl: nats.url, dashboardPort: 0, collectorPort: 0, alertsPort: 0, rulesPort: 0, kpiPort: 0, kpiRefreshMs: 100, tickMs: 50, settleMs: 300, sources: [{ name: 'hall', token: TOKEN }], inspectors, logLevel: 'warn', auditKey: TEST_AUDIT_KEY,
      ...(opts.zone ? { zone: opts.zone } : {}),
      ...opts.config,
    },
  })
  return startPlatform(cfg, new Set(parts), logger('test'), { db, clock })
}

export { startTestServer }

/** post sends a body to the collector as source "hall". */
export async function post(platform: Platform, body: string | CaseEvent[] | CaseEvent, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${platform.collectorUrl}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/**
 * postAll posts events as a source does: the items the collector answers `failed` (its bus
 * or database did not take them in time, "send again") are sent again, up to `tries`
 * times. It returns how many were accepted and how many were duplicates in the end.
 */
export async function postAll(platform: Platform, events: CaseEvent[], tries = 5): Promise<{ accepted: number; duplicate: number; rejected: number }> {
  const out = { accepted: 0, duplicate: 0, rejected: 0 }
  let left = events
  for (let i = 0; i < tries && left.length; i++) {
    const { json } = await post(platform, left)
    const results = json.results as Array<{ index: number; status: string }>
    if (!Array.isArray(results)) throw new Error(`the collector answered no results: ${JSON.stringify(json)}`)
    const failed = new Set(results.filter((r) => r.status === 'failed').map((r) => r.index))
    for (const r of results) if (r.status !== 'failed') out[r.status as keyof typeof out]++
    left = left.filter((_, j) => failed.has(j))
  }
  if (left.length) throw new Error(`${left.length} events still failed after ${tries} tries`)
  return out
}

/** waitFor polls until fn returns a truthy value, or fails after timeoutMs. */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
      last = v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** hallEvents reads a contract example and re-labels its source as "hall". */
export function asHall(events: CaseEvent[]): CaseEvent[] {
  return events.map((e) => ({ ...e, source: 'hall' }))
}

/** TEST_PASSWORD is the password of every account signInAs makes. */
export const TEST_PASSWORD = 'a long enough password'

/**
 * signInAs makes the account if it does not exist (a leader reading every department
 * by default), signs it in on the platform's dashboard and returns the Cookie header,
 * as a browser would send it.
 */
export async function signInAs(
  platform: Platform,
  db: Db,
  user: { username: string; role: string; dept?: string } = { username: 'test-leader', role: 'leader' },
): Promise<string> {
  if (!(await findUser(db, user.username))) await createUser(db, { ...user, password: TEST_PASSWORD })
  const r = await fetch(`${platform.dashboardUrl}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
  })
  if (r.status !== 200) throw new Error(`sign-in of ${user.username} failed: HTTP ${r.status} ${await r.text()}`)
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!
}
