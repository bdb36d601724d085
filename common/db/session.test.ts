import { describe, expect, it } from 'vitest'
import { isMigratable } from './session.ts'

describe('isMigratable', () => {
  it('recognises objects offering withMigrationLock', () => {
    expect(isMigratable({ timescale: false, withMigrationLock: async () => {} })).toBe(true)
    expect(isMigratable({ query: async () => ({ rows: [], rowCount: 0 }) })).toBe(false)
    expect(isMigratable(null)).toBe(false)
  })
})
