import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../../common/db/index.ts'
import { startFakeTwilio, type FakeTwilio } from '../../demo/index.ts'
import { enqueue, outboxMessages } from './outbox.ts'
import { startSmsSender } from './sender.ts'
import { ManualClock, memoryLog } from './testdata/support.ts'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway } from './twilioGateway.ts'

const CHILD = fileURLToPath(new URL('./testdata/crashingSender.ts', import.meta.url))
const CALLBACK = 'https://jiancha.example.gov.cn/twilio/sms/status'

/** A database two processes can open in turn: PGlite in a directory, or a PostgreSQL schema. */
interface Place {
  name: string
  env: Record<string, string>
  open(): Promise<Db>
  dispose(): Promise<void>
}

function places(): Place[] {
  const dir = mkdtempSync(join(tmpdir(), 'jiancha-sms-crash-'))
  const list: Place[] = [
    {
      name: 'pglite',
      env: { CRASH_DB_DIR: dir },
      open: () => openDb({ dataDir: dir, log: () => {} }),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ]
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const schema = `test_${randomBytes(6).toString('hex')}`
    list.push({
      name: 'pg',
      env: { CRASH_DB_URL: url, CRASH_DB_SCHEMA: schema },
      open: () => openDb({ url, schema, dataDir: '', log: () => {} }),
      async dispose() {
        const c = new pg.Client({ connectionString: url })
        await c.connect()
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end())
      },
    })
  }
  return list
}

function runChild(env: Record<string, string>): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] })
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(signal ?? code)
    })
  })
}

describe.each(places())('sms sender crash between send and record on $name', (place) => {
  let fake: FakeTwilio
  beforeAll(async () => {
    fake = await startFakeTwilio()
  })
  afterAll(async () => {
    await fake?.close()
    await place.dispose()
  })

  it('after a restart, finds the message at Twilio instead of sending it again', async () => {
    let db = await place.open()
    await enqueue(db, 'red:S-9', '+8613800138000', '红牌：S-9 超期未办结')
    // PGlite is one process's: let the child have it.
    if (db.backend === 'pglite') await db.close()

    const exit = await runChild({
      ...place.env, CRASH_TWILIO_URL: fake.url, CRASH_TWILIO_SID: fake.accountSid, CRASH_TWILIO_TOKEN: fake.authToken, CRASH_CALLBACK: CALLBACK,
    })
    expect(exit).toBe('SIGKILL')
    expect(fake.messages).toHaveLength(1)

    if (db.backend === 'pglite') db = await place.open()
    const [left] = await outboxMessages(db, 'red:S-9')
    expect(left).toMatchObject({ status: 'sending', twilioSid: null, attempts: 1 })

    // The restarted sender takes the row when the dead one's lease ends.
    const clock = new ManualClock(left!.nextAttemptAt!.getTime())
    const client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url })
    const log = memoryLog()
    const sender = startSmsSender({ db, gateway: twilioGateway(client, { from: '+15005550006' }), clock, log, statusCallbackUrl: CALLBACK, pollMs: 3_600_000 })
    await sender.tick()
    await sender.stop()
    await db.close()

    expect(fake.messages).toHaveLength(1)
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(fake.messages[0]).toMatchObject({ body: '红牌：S-9 超期未办结', statusCallback: `${CALLBACK}?outbox=${left!.id}` })
    const reopened = await place.open()
    try {
      expect(await outboxMessages(reopened, 'red:S-9')).toMatchObject([{ status: 'sent', twilioSid: fake.messages[0]!.sid, attempts: 2 }])
    } finally {
      await reopened.close()
    }
    expect(log.lines.some((l) => l.msg.includes('not sent again'))).toBe(true)
  })
})
