import { describe, expect, it } from 'vitest'
import { fillPlaceholders } from './placeholders.ts'

const file = (sql: string) => ({ file: '016_x.sql', sql, sha256: '' })

describe('placeholders', () => {
  it('fills each placeholder with its value as a quoted literal', () => {
    expect(fillPlaceholders(file('SELECT {{zone}} AS z, {{zone}} AS again'), { zone: 'America/New_York' })).toBe(
      "SELECT 'America/New_York' AS z, 'America/New_York' AS again",
    )
    expect(fillPlaceholders(file("SELECT '{{1,2},{3,4}}'::int[]"), {})).toBe("SELECT '{{1,2},{3,4}}'::int[]")
  })

  it('doubles quotes, so a value cannot end the literal', () => {
    expect(fillPlaceholders(file('SELECT {{zone}}'), { zone: "x'; DROP TABLE a; --" })).toBe("SELECT 'x''; DROP TABLE a; --'")
  })

  it('names the file and the placeholder that has no value', () => {
    expect(() => fillPlaceholders(file('SELECT {{zone}}'), {})).toThrow('database: migration 016_x.sql uses {{zone}}, which has no value (none are given)')
    expect(() => fillPlaceholders(file('SELECT {{zone}}'), { region: 'x' })).toThrow('uses {{zone}}, which has no value (known: region)')
    expect(() => fillPlaceholders(file('SELECT {{toString}}'), {})).toThrow('uses {{toString}}')
  })
})
