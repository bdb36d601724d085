/**
 * `npm run bench:sms`: how fast the SMS outbox drains. It enqueues N messages and times
 * the real sender (claims, the official twilio SDK, the recording of each result with
 * its audit row) against the fake Twilio in this process, its automatic delivery
 * reports off, on embedded PGlite and on PostgreSQL (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test, in a throwaway schema). Beside it, the
 * fake's raw rate: N plain HTTP POSTs of the same messages with the same concurrency,
 * no SDK, no database, and the SDK's rate without a database. The ratios say what the
 * SDK costs, and what the sender's own work (claims, recording, audit) adds.
 */
import { Agent, request } from 'node:http'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createTwilioClient, enqueue, outboxCounts, startSmsSender, twilioGateway } from '../alerts/index.ts'
import { openDb, type Db } from '../common/db/index.ts'
import { logger, setLogLevel } from '../common/log/index.ts'
import { systemClock } from '../common/time/index.ts'
import { startFakeTwilio, type FakeTwilio } from '../demo/index.ts'

/** BenchSmsOptions: how many messages, requests in flight, rows per claim, and the fake's latency per request. */
export interface BenchSmsOptions {
  messages: number
  concurrency: number
  batch: number
  latencyMs: number
}

const FROM = '+15005550006'
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test'

/** benchSms runs the raw rate once, then the sender on each database, and prints the figures. */
export async function benchSms(opts: BenchSmsOptions): Promise<number> {
  setLogLevel('warn') // one info line per message would measure the terminal
  const fake = await startFakeTwilio({ keep: opts.messages * 2 + 100, latencyMs: opts.latencyMs })
  try {
    process.stdout.write(`sms bench: ${opts.messages} messages, ${opts.concurrency} in flight, claims of ${opts.batch}, fake latency ${opts.latencyMs} ms\n`)
    // Warm both clients up first, so that neither figure pays for the JIT.
    await rawRate(fake, { ...opts, messages: Math.min(opts.messages, 300) })
    const raw = await rawRate(fake, opts)
    process.stdout.write(`raw:      ${opts.messages} POSTs in ${raw.toFixed(2)} s = ${rate(opts.messages, raw)} messages/s (plain HTTP, no SDK, no database)\n`)
    const sdk = await sdkRate(fake, opts.concurrency, opts.messages)
    process.stdout.write(`sdk:      ${opts.messages} sends in ${sdk.toFixed(2)} s = ${rate(opts.messages, sdk)} messages/s (the twilio SDK, no database), ${(raw / sdk).toFixed(2)} of the raw rate\n`)
    const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG
    for (const place of [pglite(), postgres(url)]) {
      let db: Db
      try {
        db = await place.open()
      } catch (e) {
        process.stdout.write(`${place.name.padEnd(9)} skipped: ${(e as Error).message}\n`)
        continue
      }
      try {
        const s = await senderRate(db, fake, opts)
        process.stdout.write(
          `${place.name.padEnd(9)} ${opts.messages} sent in ${s.seconds.toFixed(2)} s = ${rate(opts.messages, s.seconds)} messages/s, ` +
            `${(raw / s.seconds).toFixed(2)} of the raw rate, ${(sdk / s.seconds).toFixed(2)} of the SDK's (enqueueing them took ${s.enqueueSeconds.toFixed(2)} s, not counted)\n`,
        )
      } finally {
        await db.close()
        await place.dispose()
      }
    }
  } finally {
    await fake.close()
  }
  return 0
}

/** rawRate POSTs the messages to the fake with the same concurrency over kept-alive connections; returns seconds. */
async function rawRate(fake: FakeTwilio, opts: BenchSmsOptions): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency })
  const url = new URL(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`)
  const auth = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`
  const post = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = new URLSearchParams({ To: to(i), From: FROM, Body: text('raw', i) }).toString()
      const req = request(url, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`fake answered ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(body)
    })
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    for (let i = next++; i < opts.messages; i = next++) await post(i)
  }))
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  fake.messages.length = 0
  fake.requests.length = 0
  return seconds
}

/** sdkRate sends n messages through the SDK's gateway with the given concurrency, no database; returns seconds. */
async function sdkRate(fake: FakeTwilio, concurrency: number, n: number): Promise<number> {
  const g = twilioGateway(createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url }), { from: FROM })
  let next = 0
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) await g.send(to(i), text('sdk', i), { statusCallback: `https://jiancha.example.gov.cn/twilio/sms/status?outbox=${i}` })
  }))
  const seconds = (performance.now() - t0) / 1000
  fake.messages.length = 0
  fake.requests.length = 0
  return seconds
}

/** warmSdk sends a few messages through the SDK, not timed. */
function warmSdk(fake: FakeTwilio, concurrency: number): Promise<number> {
  return sdkRate(fake, concurrency, 200)
}

/** senderRate enqueues the messages, then times the sender until every one is sent. */
async function senderRate(db: Db, fake: FakeTwilio, opts: BenchSmsOptions): Promise<{ seconds: number; enqueueSeconds: number }> {
  const e0 = performance.now()
  const CHUNK = 500
  for (let from = 0; from < opts.messages; from += CHUNK) {
    await db.transaction(async (tx) => {
      for (let i = from; i < Math.min(opts.messages, from + CHUNK); i++) await enqueue(tx, `bench:${i}`, to(i), text('sms', i), 'bench')
    })
  }
  const enqueueSeconds = (performance.now() - e0) / 1000
  // Right before: connections kept alive since an earlier phase may have timed out at the fake.
  await warmSdk(fake, opts.concurrency)
  const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
  const t0 = performance.now()
  const sender = startSmsSender({
    db, gateway: twilioGateway(client, { from: FROM }), clock: systemClock, log: logger('bench'),
    statusCallbackUrl: 'https://jiancha.example.gov.cn/twilio/sms/status', pollMs: 3_600_000,
    concurrency: opts.concurrency, batch: opts.batch,
  })
  try {
    // The first pass starts at once; this tick runs after it and sends whatever is left.
    await sender.tick()
    const seconds = (performance.now() - t0) / 1000
    const counts = await outboxCounts(db)
    if (counts.pending || counts.sending || counts.failed || fake.messages.length !== opts.messages) {
      throw new Error(`sms bench: not all sent: ${JSON.stringify(counts)}, the fake has ${fake.messages.length}`)
    }
    return { seconds, enqueueSeconds }
  } finally {
    await sender.stop()
    fake.messages.length = 0
    fake.requests.length = 0
  }
}

interface Place {
  name: string
  open(): Promise<Db>
  dispose(): Promise<void>
}

function pglite(): Place {
  return { name: 'pglite:', open: () => openDb({ dataDir: 'memory://', log: () => {} }), dispose: async () => {} }
}

function postgres(url: string): Place {
  const schema = `bench_${randomBytes(6).toString('hex')}`
  return {
    name: 'postgres:',
    open: () => openDb({ url, schema, dataDir: '', log: () => {} }),
    async dispose() {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end())
    },
  }
}

// Distinct numbers and texts, as a city's messages are.
const to = (i: number) => `+86138${String(i % 100_000_000).padStart(8, '0')}`
const text = (kind: string, i: number) => `【电子监察】黄牌：${kind} 案件 B-${i} 办理超期，请回复"确认 K${i}"`

function rate(n: number, seconds: number): number {
  return Math.round(n / seconds)
}
