/**
 * The console gateway (SMS_PROVIDER=console): messages are written to the log instead
 * of being sent, for development and demos without an SMS account.
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from '../../common/log/index.ts'
import type { SmsGateway } from './gateway.ts'

/** consoleGateway logs each message; find knows only what this process printed. */
export function consoleGateway(log: Logger): SmsGateway {
  const printed = new Map<string, { sid: string; at: number }>()
  return {
    async send(to, body) {
      const sid = `SM${randomBytes(16).toString('hex')}`
      printed.set(`${to}\n${body}`, { sid, at: Date.now() })
      log.info(`短信 → ${to}: ${body}`, { sid })
      return { sid }
    },
    async find(to, body, since) {
      const p = printed.get(`${to}\n${body}`)
      return p && p.at >= since.getTime() ? { sid: p.sid } : null
    },
  }
}
