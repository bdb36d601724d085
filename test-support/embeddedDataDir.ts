/**
 * embeddedDataDir gives a CLI test a private data directory on the embedded database:
 * JIANCHA_DATA_DIR points at a fresh temporary folder for the describe block, and
 * DATABASE_URL / JIANCHA_CONFIG are blanked so no outside setting leaks in.
 * Call it inside describe(); it returns the folder's path once beforeAll has run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, vi } from 'vitest'

/** embeddedDataDir registers the hooks and returns a getter of the folder. */
export function embeddedDataDir(prefix: string): () => string {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    vi.stubEnv('JIANCHA_DATA_DIR', dir)
    vi.stubEnv('DATABASE_URL', '')
    vi.stubEnv('JIANCHA_CONFIG', '')
  })
  afterAll(() => {
    vi.unstubAllEnvs()
    rmSync(dir, { recursive: true, force: true })
  })
  return () => dir
}
