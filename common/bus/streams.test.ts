import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream'
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNatsServer, type NatsServer } from './natsServer.ts'
import { ALERTS_STREAM, DEAD_STREAM, EVENTS_STREAM, ensureStreams } from './streams.ts'

const dir = mkdtempSync(join(tmpdir(), 'jiancha-streams-'))
let server: NatsServer
let nc: NatsConnection
let jsm: JetStreamManager

beforeAll(async () => {
  server = await startNatsServer({ storeDir: dir })
  nc = await connect({ servers: server.url })
  jsm = await jetstreamManager(nc)
})

afterAll(async () => {
  await nc?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('ensureStreams', () => {
  it('creates the three streams with file storage, unlimited age and a 24 h duplicate window', async () => {
    await ensureStreams(jsm)
    for (const [name, subject] of [
      [EVENTS_STREAM, 'jiancha.events.>'],
      [ALERTS_STREAM, 'jiancha.alerts.>'],
      [DEAD_STREAM, 'jiancha.dead.>'],
    ] as const) {
      const { config } = await jsm.streams.info(name)
      expect(config.subjects).toEqual([subject])
      expect(config.storage).toBe('file')
      expect(config.max_age).toBe(0)
      expect(config.discard).toBe('old')
      expect(config.duplicate_window).toBe(nanos(24 * 3600_000))
    }
  })

  it('updates existing streams instead of failing', async () => {
    await ensureStreams(jsm)
    await ensureStreams(jsm, { duplicateWindowMs: 60_000 })
    expect((await jsm.streams.info(EVENTS_STREAM)).config.duplicate_window).toBe(nanos(60_000))
    expect((await jsm.streams.info(ALERTS_STREAM)).config.duplicate_window).toBe(nanos(60_000))
  })
})

describe('ensureStreams under concurrency', () => {
  it('tolerates several components ensuring the streams at once', async () => {
    await jsm.streams.delete(EVENTS_STREAM)
    await jsm.streams.delete(ALERTS_STREAM)
    await jsm.streams.delete(DEAD_STREAM)
    await Promise.all([
      ensureStreams(jsm, { duplicateWindowMs: 1000 }),
      ensureStreams(jsm, { duplicateWindowMs: 2000 }),
      ensureStreams(jsm, { duplicateWindowMs: 3000 }),
    ])
    const names = (await jsm.streams.names().next()).sort()
    expect(names).toEqual([ALERTS_STREAM, DEAD_STREAM, EVENTS_STREAM])
  })
})
