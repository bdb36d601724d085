import { readFileSync, readdirSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadRulesFile } from '../rulesFile.ts'
import { formatResult, parseTestFile, runTestFile } from '../ruleTest.ts'
import { RULES } from '../settings.ts'

const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()

describe('the built-in rule tests (rules/tests/*.yaml)', () => {
  it('have one file per built-in rule and none for unknown rules', () => {
    expect(files).toEqual(Object.keys(RULES).map((id) => `${id}.yaml`).sort())
  })

  it.each(files)('%s passes', (name) => {
    const file = parseTestFile(readFileSync(join(dir, name), 'utf8'), `rules/tests/${name}`, (ref) => loadRulesFile(isAbsolute(ref) ? ref : join(dir, ref)))
    const results = runTestFile(file)
    // every file holds at least one case that fires and one that does not
    expect(file.tests.some((t) => t.expect.some((e) => name === `${e.rule}.yaml`))).toBe(true)
    expect(file.tests.length).toBeGreaterThanOrEqual(2)
    const failures = results.filter((r) => !r.ok).map(formatResult).join('')
    expect(failures).toBe('')
  })
})
