/**
 * A check by a party outside the project: Prism serves Twilio's own OpenAPI
 * description of the 2010 API and rejects requests that break it. Our gateway's
 * requests go to it through the SDK, exactly as they would go to Twilio.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTwilioClient } from './twilioClient.ts'
import { twilioGateway } from './twilioGateway.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const SPEC = '../shared/twilio/twilio_api_v2010.json'
const PRISM = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url))
const missing = !existsSync(new URL(SPEC, new URL('../../', import.meta.url)))
  ? `Twilio's OpenAPI description is not at ${SPEC} (relative to the repository)`
  : !existsSync(PRISM)
    ? '@stoplight/prism-cli is not installed (npm install)'
    : null
if (missing) console.warn(`prism check skipped: ${missing}`)

const SID = `AC${'1'.repeat(32)}`
const MESSAGES = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

/** startPrism runs `npx prism mock` and resolves once it listens. */
async function startPrism(port: number): Promise<ChildProcess> {
  const child = spawn('npx', ['--no-install', 'prism', 'mock', '-h', '127.0.0.1', '-p', String(port), SPEC], {
    cwd: REPO,
    detached: true, // its own process group: npx starts prism as a child of its own
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start in 90 s:\n${out.slice(-2000)}`)), 90_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (out.includes('Prism is listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`prism exited with ${code}:\n${out.slice(-2000)}`))
    })
  })
  // Prism logs every request; keep reading so that it never blocks on a full pipe.
  child.stdout!.resume()
  child.stderr!.resume()
  return child
}

describe.skipIf(!!missing)("Twilio's OpenAPI description, served by Prism", () => {
  let prism: ChildProcess | undefined
  let client: twilio.Twilio

  beforeAll(async () => {
    const port = await freePort()
    prism = await startPrism(port)
    client = createTwilioClient({ accountSid: SID, authToken: 'prism-token', baseUrl: `http://127.0.0.1:${port}` })
  }, 120_000)
  afterAll(() => {
    if (prism?.pid && prism.exitCode === null) process.kill(-prism.pid, 'SIGTERM')
  })

  it('accepts a message as our gateway sends it, StatusCallback included', async () => {
    const g = twilioGateway(client, { from: '+15005550006' })
    const { sid } = await g.send('+8613800138000', '红牌：S-1 超期未办结，请回复“确认 AB12”', {
      statusCallback: 'https://jiancha.example.gov.cn/twilio/sms/status?outbox=42',
    })
    expect(sid).toMatch(/^SM/)
    expect(client.httpClient.lastResponse?.statusCode).toBe(201)
  })

  it('accepts a message sent through a Messaging Service', async () => {
    await twilioGateway(client, { messagingServiceSid: `MG${'a'.repeat(32)}` }).send('+8613800138000', 'x', {})
    expect(client.httpClient.lastResponse?.statusCode).toBe(201)
  })

  it('accepts the look-up before a resend', async () => {
    await twilioGateway(client, { from: '+15005550006' }).find('+8613800138000', 'x', new Date())
    expect(client.httpClient.lastResponse?.statusCode).toBe(200)
  })

  it('can fail: a message without To gets a 4xx', async () => {
    // The SDK refuses to build such a request, so it goes through the same client by hand.
    const res = await client.request({ method: 'post', uri: MESSAGES, data: { From: '+15005550006', Body: 'x' } })
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(JSON.stringify(res.body)).toContain("required property 'To'")
  })

  it('can fail: a StatusCallback that is not a URL gets a 4xx', async () => {
    const g = twilioGateway(client, { from: '+15005550006' })
    await expect(g.send('+8613800138000', 'x', { statusCallback: 'not a url' })).rejects.toMatchObject({ outcome: 'permanent' })
  })
})
