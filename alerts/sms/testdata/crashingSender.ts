/**
 * A sender process that dies between sending and recording: its gateway hands the
 * message to (fake) Twilio, then the process is killed before the sender can write
 * the SID. Run by sender.crash.test.ts with the database and fake in the environment.
 */
import { systemClock } from '../../../common/time/index.ts'
import { openDb } from '../../../common/db/index.ts'
import type { SmsGateway } from '../gateway.ts'
import { startSmsSender } from '../sender.ts'
import { createTwilioClient } from '../twilioClient.ts'
import { twilioGateway } from '../twilioGateway.ts'
import { memoryLog } from './support.ts'

const env = process.env
const db = await openDb({ url: env.CRASH_DB_URL || undefined, schema: env.CRASH_DB_SCHEMA || undefined, dataDir: env.CRASH_DB_DIR ?? '', log: () => {} })
const client = createTwilioClient({ accountSid: env.CRASH_TWILIO_SID!, authToken: env.CRASH_TWILIO_TOKEN!, baseUrl: env.CRASH_TWILIO_URL! })
const real = twilioGateway(client, { from: '+15005550006' })
const dying: SmsGateway = {
  find: real.find,
  async send(to, body, opts) {
    const sent = await real.send(to, body, opts)
    process.kill(process.pid, 'SIGKILL')
    return sent
  },
}
startSmsSender({ db, gateway: dying, clock: systemClock, log: memoryLog(), statusCallbackUrl: env.CRASH_CALLBACK, pollMs: 50 })
