import { describe, expect, it } from 'vitest'
import type { AlertView } from '../../../common/contract/api.ts'
import { FEED_CAPACITY, feedFromCards, insertCard } from './alertFeed.ts'

function card(key: string, minute: number): AlertView {
  const at = new Date(Date.UTC(2026, 2, 2, 1, minute)).toISOString()
  return { key, rule: 'approval.overdue', level: 'red', kind: 'approval', caseId: key, dept: 'd', at, causes: [], settingsVersion: 'v', raisedAt: at, status: 'open' }
}
const keys = (f: AlertView[]) => f.map((c) => c.key)

describe('alert feed', () => {
  it('puts a new card first', () => {
    const { feed, duplicate } = insertCard([card('a', 1)], card('b', 2))
    expect(keys(feed)).toEqual(['b', 'a'])
    expect(duplicate).toBe(false)
  })

  it('slides a late card in below newer ones', () => {
    expect(keys(insertCard([card('c', 3), card('a', 1)], card('b', 2)).feed)).toEqual(['c', 'b', 'a'])
  })

  it('puts the latest arrival first among cards of the same instant', () => {
    expect(keys(insertCard([card('a', 1)], card('b', 1)).feed)).toEqual(['b', 'a'])
  })

  it('puts a card raised now for an older event first: the feed goes by when cards were raised', () => {
    const late = { ...card('late', 0), raisedAt: card('x', 9).at }
    expect(keys(insertCard([card('c', 3), card('a', 1)], late).feed)).toEqual(['late', 'c', 'a'])
    expect(keys(feedFromCards([card('c', 3), late, card('a', 1)]))).toEqual(['late', 'c', 'a'])
  })

  it('ignores a card whose key it already holds', () => {
    const before = [card('a', 1)]
    const r = insertCard(before, { ...card('a', 5), status: 'acknowledged' })
    expect(r.duplicate).toBe(true)
    expect(r.feed).toBe(before)
  })

  it('never grows past its capacity, over a day of cards', () => {
    let feed: AlertView[] = []
    for (let i = 0; i < 1440; i++) feed = insertCard(feed, card(`k${i}`, i)).feed
    expect(feed).toHaveLength(FEED_CAPACITY)
    expect(feed[0]!.key).toBe('k1439')
    expect(feed.at(-1)!.key).toBe(`k${1440 - FEED_CAPACITY}`)
  })

  it('drops a card older than everything a full feed keeps, but reports it as new', () => {
    const full = Array.from({ length: 3 }, (_, i) => card(`k${i}`, 10 - i))
    const r = insertCard(full, card('old', 0), 3)
    expect(r.feed).toBe(full)
    expect(r.duplicate).toBe(false)
  })

  it('builds from a snapshot: unique, newest first, capped', () => {
    const f = feedFromCards([card('a', 1), card('b', 3), card('a', 1), card('c', 2)], 2)
    expect(keys(f)).toEqual(['b', 'c'])
  })
})
