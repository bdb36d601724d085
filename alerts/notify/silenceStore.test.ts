import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../common/db/index.ts'
import { openTestDbs } from '../../common/db/testing.ts'
import { activeSilences, createSilence, expireSilence, MAX_SILENCE_MS, SilenceError, silencesSince, validateSilence, type SilenceInput } from './silenceStore.ts'
import { at } from './testing.ts'

const NOW = at('2026-11-10 09:00')
const H = 3_600_000
const input = (over: Partial<SilenceInput> = {}): SilenceInput => ({
  rule: 'approval.overdue', startsAt: NOW, endsAt: NOW + 2 * H, reason: '系统割接，数据延迟', createdBy: 'wang', ...over,
})

describe('validateSilence', () => {
  const field = (over: Partial<SilenceInput>) => {
    try {
      validateSilence(input(over), NOW)
      return null
    } catch (e) {
      return (e as SilenceError).field
    }
  }

  it('needs a rule or a department', () => {
    expect(field({ rule: null, dept: null })).toBe('rule')
    expect(field({ rule: '  ', dept: undefined })).toBe('rule')
    expect(field({ rule: null, dept: 'tax' })).toBeNull()
  })

  it('needs a reason of 4 characters or more', () => {
    expect(field({ reason: ' 割接 ' })).toBe('reason')
    expect(field({ reason: '临时割接' })).toBeNull()
  })

  it('takes a window that ends after it starts, in the future, of 30 days at most', () => {
    expect(field({ endsAt: NOW })).toBe('endsAt')
    expect(field({ endsAt: NOW + MAX_SILENCE_MS + 1 })).toBe('endsAt')
    expect(field({ endsAt: NOW + MAX_SILENCE_MS })).toBeNull()
    expect(field({ startsAt: NOW - 3 * H, endsAt: NOW - H })).toBe('endsAt')
    expect(field({ startsAt: Number.NaN })).toBe('startsAt')
  })

  it('needs its author', () => {
    expect(field({ createdBy: ' ' })).toBe('createdBy')
  })
})

describe.each(openTestDbs())('silence store on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('stores a silence and finds it while it holds, not before or after', async () => {
    const s = await createSilence(db, input({ dept: ' market ', startsAt: NOW + H, endsAt: NOW + 3 * H }), NOW)
    expect(s).toMatchObject({ rule: 'approval.overdue', dept: 'market', startsAt: NOW + H, endsAt: NOW + 3 * H, reason: '系统割接，数据延迟', createdBy: 'wang', createdAt: NOW })
    expect(s.id).toMatch(/^\d+$/)
    expect(await activeSilences(db, NOW)).toEqual([])
    expect(await activeSilences(db, NOW + H)).toEqual([s])
    expect(await activeSilences(db, NOW + 3 * H)).toEqual([])
    expect(await silencesSince(db, NOW)).toEqual([s])
  })

  it('refuses an invalid silence without storing it', async () => {
    await expect(createSilence(db, input({ reason: 'x' }), NOW)).rejects.toBeInstanceOf(SilenceError)
  })

  it('has the database refuse a silence without matchers or with a reversed window', async () => {
    await expect(db.query("INSERT INTO silences (starts_at, ends_at, reason, created_by) VALUES (now(), now() + interval '1 hour', 'abcd', 'x')")).rejects.toThrow()
    await expect(db.query("INSERT INTO silences (rule, starts_at, ends_at, reason, created_by) VALUES ('r', now(), now(), 'abcd', 'x')")).rejects.toThrow()
  })

  it('expires a silence in force at now, and cancels one not yet started', async () => {
    const running = await createSilence(db, input({ rule: 'petition.repeat' }), NOW)
    const later = await createSilence(db, input({ rule: 'petition.unsatisfied', startsAt: NOW + 5 * H, endsAt: NOW + 6 * H }), NOW)
    const t = NOW + H
    expect(await expireSilence(db, running.id, t)).toBe('expired')
    expect(await expireSilence(db, later.id, t)).toBe('cancelled')
    expect((await activeSilences(db, t)).map((s) => s.id)).not.toContain(running.id)
    expect((await activeSilences(db, t - 1)).map((s) => s.id)).toContain(running.id)
    expect(await expireSilence(db, running.id, t + 1)).toBeNull()
    expect(await expireSilence(db, later.id, t)).toBeNull()
    expect(await expireSilence(db, 'drop table', t)).toBeNull()
  })
})
