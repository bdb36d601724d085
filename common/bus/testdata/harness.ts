// Shared test helpers: a private nats-server per test file and small waiting utilities.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNatsServer, type NatsServer } from '../natsServer.ts'

/** TestServer is a nats-server in its own temporary store directory. */
export interface TestServer extends NatsServer {
  storeDir: string
  /** start starts the stopped server again on the same port and store. */
  start(): Promise<void>
  /** restart stops the server and starts it again on the same port and store. */
  restart(): Promise<void>
  /** dispose stops the server and removes its store. */
  dispose(): Promise<void>
}

/** startTestServer starts a nats-server in a fresh temporary directory. */
export async function startTestServer(prefix: string): Promise<TestServer> {
  const storeDir = mkdtempSync(join(tmpdir(), `jiancha-${prefix}-`))
  let srv = await startNatsServer({ storeDir })
  const server: TestServer = {
    storeDir,
    get url() {
      return srv.url
    },
    get port() {
      return srv.port
    },
    stop: () => srv.stop(),
    async start() {
      srv = await startNatsServer({ storeDir, port: srv.port })
    },
    async restart() {
      await srv.stop()
      await server.start()
    },
    async dispose() {
      await srv.stop()
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
  return server
}

/** waitFor polls cond until it is true or the timeout passes. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** sleep waits ms milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
