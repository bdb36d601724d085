import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, KINDS } from './event.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const shared = fileURLToPath(new URL('../../../shared/contract/', import.meta.url))

describe('the project copy of the contract', () => {
  it.skipIf(!existsSync(shared))('agrees byte for byte with ../shared/contract', () => {
    for (const f of ['event.schema.json', 'README.md', 'kpi.md']) expect(readFileSync(`${here}${f}`, 'utf8'), f).toBe(readFileSync(`${shared}${f}`, 'utf8'))
    const ours = readdirSync(`${here}examples`).sort()
    expect(ours).toEqual(readdirSync(`${shared}examples`).sort())
    for (const f of ours) expect(readFileSync(`${here}examples/${f}`, 'utf8'), f).toBe(readFileSync(`${shared}examples/${f}`, 'utf8'))
  })

  it('lists the same kinds and event types as the schema', () => {
    const schema = JSON.parse(readFileSync(`${here}event.schema.json`, 'utf8')) as {
      properties: { kind: { enum: string[] } }
      allOf: Array<{ if: { properties: { kind: { const: string }; type?: unknown } }; then: { properties: { type?: { enum: string[] } } } }>
    }
    expect([...KINDS]).toEqual(schema.properties.kind.enum)
    for (const kind of KINDS) {
      const rule = schema.allOf.find((r) => r.if.properties.kind.const === kind && !r.if.properties.type)
      expect(rule?.then.properties.type?.enum, kind).toEqual(EVENT_TYPES[kind])
    }
  })
})
