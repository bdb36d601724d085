import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './db.ts'
import { keepState, readState } from './platformState.ts'
import { openTestDbs } from './testing.ts'

describe.each(openTestDbs())('platform state on $name', (backend) => {
  let db: Db
  beforeAll(async () => {
    db = await backend.open()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('reads nothing under a key never kept', async () => {
    expect(await readState(db, 'nothing.here')).toBeUndefined()
  })

  it('keeps the first value under a key and returns it ever after', async () => {
    let made = 0
    const make = () => ++made * 1000
    expect(await keepState(db, 'demo.anchor', make)).toBe(1000)
    expect(await keepState(db, 'demo.anchor', make)).toBe(1000)
    expect(made).toBe(1)
    expect(await readState(db, 'demo.anchor')).toBe(1000)
  })

  it('keeps any JSON value', async () => {
    expect(await keepState(db, 'demo.object', () => ({ a: [1, 'b'] }))).toEqual({ a: [1, 'b'] })
  })
})
