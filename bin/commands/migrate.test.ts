import { describe, expect, it, vi } from 'vitest'
import { embeddedDataDir } from '../../test-support/embeddedDataDir.ts'
import { main } from '../cli.ts'

/** run runs `jiancha ARGS` in-process and returns its exit code, stdout and stderr. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  try {
    return { code: await main(args), out, err }
  } finally {
    so.mockRestore()
    se.mockRestore()
  }
}

describe('jiancha migrate on an embedded database', () => {
  embeddedDataDir('jiancha-migrate-')

  it('applies the migrations in JIANCHA_ZONE and lists them', async () => {
    vi.stubEnv('JIANCHA_ZONE', 'Asia/Tokyo')
    const r = await run('migrate')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^ {2}003 daily \[(timescale|plain)\]$/m)
    expect(r.out).toMatch(/^ {2}016 daily_zone \[(timescale|plain)\]$/m)
  })

  it('refuses to open the database under another JIANCHA_ZONE, naming both zones', async () => {
    vi.stubEnv('JIANCHA_ZONE', 'America/New_York')
    const r = await run('migrate')
    expect(r.code).toBe(2)
    expect(r.err).toContain('jiancha migrate: config: JIANCHA_ZONE is "America/New_York", but this database was built with zone "Asia/Tokyo"')
    vi.stubEnv('JIANCHA_ZONE', 'Asia/Tokyo')
    expect((await run('migrate')).code).toBe(0)
  })
})
