import { describe, expect, it } from 'vitest'
import type { CaseEvent } from '../common/contract/index.ts'
import { ingestBatch, PermanentError, type IngestDeps } from './ingest.ts'

const NOW = Date.parse('2026-11-23T12:00:00+08:00')
const event = (id: string, extra: Partial<CaseEvent> = {}) => ({ id, source: 'hall', kind: 'approval', type: 'resumed', caseId: 'A-1', dept: 'market', at: '2026-11-23T10:00:00+08:00', ...extra })

/** deps records what was published; ids listed in `stored` are known to the database, `refuse` the bus never takes. */
function deps(stored: string[] = [], refuse: string[] = []): IngestDeps & { published: string[] } {
  const published: string[] = []
  return {
    published, now: () => NOW, maxFutureMs: 600_000,
    seen: async (source, ids) => new Set(ids.filter((id) => stored.includes(`${source}/${id}`))),
    publish: async (ev, receivedAt) => {
      expect(receivedAt).toBe(NOW)
      if (refuse.includes(ev.id)) throw new PermanentError('too large')
      published.push(ev.id)
      return { duplicate: false }
    },
  }
}

describe('ingestBatch', () => {
  it('gives each item its own verdict, and publishes only the new valid ones', async () => {
    const d = deps(['hall/old', 'other/a'], ['huge'])
    const r = await ingestBatch(
      [
        { index: 0, value: event('a') },
        { index: 1, value: event('b', { source: 'other' }) },
        { index: 2, value: event('c', { at: '2026-11-24T10:00:00+08:00' }) },
        { index: 3, value: event('a') },
        { index: 4, value: event('old') },
        { index: 5, value: { id: 'x' } },
        { index: 6, error: 'line 7 is not JSON' },
        { index: 7, value: event('huge') },
      ],
      'hall', d,
    )
    expect(r.results.map((x) => x.status)).toEqual(['accepted', 'rejected', 'rejected', 'duplicate', 'duplicate', 'rejected', 'rejected', 'rejected'])
    expect(r.results[1]!.error).toEqual({ field: 'source', message: 'must be "hall", the source this token belongs to' })
    expect(r.results[2]!.error?.field).toBe('at')
    expect(r.results[7]!.error).toEqual({ field: '(event)', message: 'too large' })
    expect(d.published).toEqual(['a'])
    expect(r).toMatchObject({ accepted: 1, duplicate: 2, rejected: 5, failed: 0 })
  })

  it('fails every valid item, publishing none, when the database cannot say which are new', async () => {
    const d = deps()
    d.seen = async () => {
      throw new Error('connection reset')
    }
    const r = await ingestBatch([{ index: 0, value: event('a') }, { index: 1, value: { id: 'bad' } }], 'hall', d)
    expect(r).toMatchObject({ accepted: 0, failed: 1, rejected: 1 })
    expect(d.published).toEqual([])
  })
})
