import { describe, expect, it } from 'vitest'
import { memoryLog } from '../log/testing.ts'
import { ConnectionWatch } from './connection.ts'

describe('ConnectionWatch', () => {
  it('is up until a failure, then down since the first failure with the latest error', () => {
    let now = Date.parse('2026-11-24T02:00:00.000Z')
    const log = memoryLog()
    const w = new ConnectionWatch('the database', log, () => 'rules down until it answers', () => now)
    expect([w.isUp, w.status()]).toEqual([true, { up: true }])
    w.down('connect ECONNREFUSED 127.0.0.1:5432')
    now += 5000
    w.down('no answer within 5000 ms')
    expect(w.isUp).toBe(false)
    expect(w.status()).toEqual({ up: false, downSince: '2026-11-24T02:00:00.000Z', error: 'no answer within 5000 ms' })
    now += 7000
    w.up()
    w.up()
    expect(w.status()).toEqual({ up: true })
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'the database cannot be reached: connect ECONNREFUSED 127.0.0.1:5432; rules down until it answers; trying again in the background'],
      ['info', 'the database is back after 12 s'],
    ])
  })

  it('logs once per outage, however many failures it sees, and again for the next outage', () => {
    const log = memoryLog()
    const w = new ConnectionWatch('the bus (NATS)', log)
    for (let i = 0; i < 50; i++) w.down(`try ${i}`)
    w.up()
    w.down('again', Date.parse('2026-11-24T03:00:00.000Z'))
    expect(w.status()).toEqual({ up: false, downSince: '2026-11-24T03:00:00.000Z', error: 'again' })
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'the bus (NATS) cannot be reached: try 0; trying again in the background',
      'the bus (NATS) cannot be reached: again; trying again in the background',
    ])
  })
})
