import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import type { Queryable } from '../common/db/index.ts'
import { CaseNotFound, flagCard, flagCase, FlagError, validateFlag, type FlagRequest } from './flag.ts'

const format = (t: number) => new Date(t).toISOString()
const NOW = Date.parse('2026-10-20T02:00:00Z')

const ok: FlagRequest = { kind: 'petition', caseId: 'P-0001', reason: '群众反映久拖不办', inspector: 'inspector-wang' }

function fieldOf(req: FlagRequest): { field: string; message: string } {
  try {
    validateFlag(req)
  } catch (e) {
    if (e instanceof FlagError) return { field: e.field, message: e.message }
    throw e
  }
  throw new Error('expected a FlagError')
}

describe('flagCard', () => {
  it('builds an inspection.flag card keyed by case and level, caused by the case events, with the note', () => {
    const card = flagCard({
      kind: 'petition', caseId: 'P-0001', reason: '群众反映久拖不办', level: 'red', inspector: 'inspector-wang',
      now: NOW, dept: 'letters', causes: ['ex2-1', 'ex2-2'], format, settingsVersion: 'builtin-1',
    })
    expect(card).toEqual({
      key: 'inspection.flag:red:petition:P-0001',
      rule: 'inspection.flag',
      level: 'red',
      kind: 'petition',
      caseId: 'P-0001',
      dept: 'letters',
      at: '2026-10-20T02:00:00.000Z',
      causes: ['ex2-1', 'ex2-2'],
      settingsVersion: 'builtin-1',
      note: { reason: '群众反映久拖不办', by: 'inspector-wang' },
    })
    expect(card.withdrawn).toBeUndefined()
  })
})

describe('validateFlag', () => {
  it('defaults the level to yellow and trims the reason', () => {
    expect(validateFlag({ ...ok, reason: '  超期未办  ' })).toEqual({
      kind: 'petition', caseId: 'P-0001', reason: '超期未办', level: 'yellow', inspector: 'inspector-wang',
    })
  })

  it('counts the reason in characters, so four Chinese characters are enough', () => {
    expect(validateFlag({ ...ok, reason: '超期未办' }).reason).toBe('超期未办')
    expect(fieldOf({ ...ok, reason: '超期未' })).toMatchObject({ field: 'reason', message: expect.stringMatching(/4 to 500 characters.*got 3/) })
  })

  it('names the bad field', () => {
    expect(fieldOf({ ...ok, kind: 'tax' })).toEqual({ field: 'kind', message: 'kind must be one of approval, enforcement, petition, supervision, got "tax"' })
    expect(fieldOf({ ...ok, kind: undefined }).field).toBe('kind')
    expect(fieldOf({ ...ok, caseId: '' })).toMatchObject({ field: 'caseId', message: expect.stringContaining('non-empty') })
    expect(fieldOf({ ...ok, caseId: '   ' }).field).toBe('caseId')
    expect(fieldOf({ ...ok, caseId: 42 }).field).toBe('caseId')
    expect(fieldOf({ ...ok, caseId: 'x'.repeat(201) })).toMatchObject({ field: 'caseId', message: expect.stringContaining('at most 200') })
    expect(fieldOf({ ...ok, reason: undefined }).field).toBe('reason')
    expect(fieldOf({ ...ok, reason: '    ab    ' }).field).toBe('reason')
    expect(fieldOf({ ...ok, reason: '久'.repeat(501) })).toMatchObject({ field: 'reason', message: expect.stringContaining('got 501') })
    expect(fieldOf({ ...ok, level: 'orange' })).toEqual({ field: 'level', message: 'level must be yellow or red, got "orange"' })
    expect(fieldOf({ ...ok, level: null }).field).toBe('level')
  })

  it('refuses what the database could not store, and control characters in the case id', () => {
    expect(fieldOf({ ...ok, reason: '督办事项\u0000滞后' })).toEqual({ field: 'reason', message: 'reason contains a NUL character (U+0000)' })
    expect(fieldOf({ ...ok, reason: '督办事项滞后\ud800' })).toMatchObject({ field: 'reason', message: expect.stringContaining('unpaired surrogate (U+D800)') })
    for (const caseId of ['P-0001\u0000', 'P-\n0001', 'P-0001\u007f', 'P-\u202e0001', 'P-\udfff']) {
      expect(fieldOf({ ...ok, caseId }), JSON.stringify(caseId)).toMatchObject({ field: 'caseId', message: expect.stringContaining('control or bidirectional-override') })
    }
  })

  it('passes text the database takes: astral characters, newlines and controls in the reason', () => {
    const reason = '群众反映😀久拖不办\n第二行\t\u0001 "引号" \\'
    expect(validateFlag({ ...ok, caseId: 'P-0001/群众·甲', reason }).reason).toBe(reason)
  })

  it('accepts the longest case id and reason', () => {
    expect(() => validateFlag({ ...ok, caseId: 'x'.repeat(200), reason: '久'.repeat(500), level: 'red' })).not.toThrow()
  })
})

describe('flagCase', () => {
  const events: CaseEvent[] = [
    { id: 'ex2-1', source: 'hall', kind: 'petition', type: 'registered', caseId: 'P-0001', dept: 'letters', at: '2026-08-03T09:00:00+08:00' },
    { id: 'ex2-2', source: 'hall', kind: 'petition', type: 'accepted', caseId: 'P-0001', dept: 'letters-2', at: '2026-08-10T09:00:00+08:00' },
  ]

  /** fakeDeps answers the case query from `events` and the open-card query from `open`. */
  function fakeDeps(opts: { open?: string[]; duplicate?: boolean } = {}) {
    const published: Array<{ subject: string; data: unknown; msgId: string }> = []
    const db: Queryable = {
      async query<R>(sql: string, params: unknown[] = []) {
        if (sql.includes('FROM events')) {
          const rows = events.filter((e) => e.kind === params[0] && e.caseId === params[1]).map((ev, i) => ({ body: ev, at: new Date(ev.at), seq: i }))
          return { rows: rows as R[], rowCount: rows.length }
        }
        const rows = (opts.open ?? []).filter((k) => k === params[0]).map(() => ({ '?column?': 1 }))
        return { rows: rows as R[], rowCount: rows.length }
      },
    }
    const bus = {
      async publish(subject: string, data: unknown, msgId: string) {
        published.push({ subject, data, msgId })
        return { seq: published.length, duplicate: opts.duplicate ?? false }
      },
    }
    return { deps: { db, bus, clock: { now: () => NOW }, format, settingsVersion: 'v7' }, published }
  }

  it('publishes the card on the alerts stream of its level and the latest dept, deduplicated by key', async () => {
    const { deps, published } = fakeDeps()
    const r = await flagCase(deps, { ...ok, level: 'red' })
    expect(r.status).toBe('flagged')
    expect(r.card).toMatchObject({ key: 'inspection.flag:red:petition:P-0001', dept: 'letters-2', causes: ['ex2-1', 'ex2-2'], settingsVersion: 'v7' })
    expect(published).toEqual([{ subject: 'jiancha.alerts.red.letters-2', data: r.card, msgId: r.card.key }])
  })

  it('answers already, publishing nothing, when the same flag is open', async () => {
    const { deps, published } = fakeDeps({ open: ['inspection.flag:yellow:petition:P-0001'] })
    expect((await flagCase(deps, ok)).status).toBe('already')
    expect(published).toEqual([])
    // a red flag on the same case is a different card
    expect((await flagCase(deps, { ...ok, level: 'red' })).status).toBe('flagged')
  })

  it('answers already when a racing flag was published first', async () => {
    const { deps } = fakeDeps({ duplicate: true })
    expect((await flagCase(deps, ok)).status).toBe('already')
  })

  it('refuses a case without events', async () => {
    const { deps, published } = fakeDeps()
    await expect(flagCase(deps, { ...ok, caseId: 'P-9999' })).rejects.toBeInstanceOf(CaseNotFound)
    await expect(flagCase(deps, { ...ok, kind: 'approval' })).rejects.toThrow(/no approval case "P-0001"/)
    expect(published).toEqual([])
  })

  it('validates before reading anything', async () => {
    const { deps } = fakeDeps()
    await expect(flagCase(deps, { ...ok, level: 'green' })).rejects.toMatchObject({ field: 'level' })
  })
})
