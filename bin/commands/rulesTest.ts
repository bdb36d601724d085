/** `jiancha rules test FILE.yaml…`: unit tests for the rules, like `promtool test rules` (docs/rules.md). */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { formatResult, loadRulesFile, parseTestFile, type RuleTestFile, runTestFile, TestFileError } from '../../rules/index.ts'
import type { Command } from '../command.ts'

/** rulesTestCommand runs rule test files and reports PASS/FAIL per test, with a diff for each failure. */
export const rulesTestCommand: Command = {
  summary: 'run rule tests: events in, the exact alerts expected out',
  usage: 'jiancha rules test FILE.yaml [FILE.yaml…]',
  options: {},
  more: () =>
    'Prints PASS or FAIL per test, a diff for each failure (- expected but not raised, + raised but not expected)\n' +
    'and a summary line. Exit code 0 when all pass, 1 when a test fails, 2 when a test file is malformed.\n' +
    'The test file format is in docs/rules.md; rules/tests/ holds one file per built-in rule.',
  async run(_values, positionals) {
    // The CLI may hand over `rules test a.yaml` whole or just the files.
    const files = positionals[0] === 'test' ? positionals.slice(1) : positionals
    if (files.length === 0) {
      process.stderr.write('jiancha rules test: give at least one test FILE.yaml\n')
      return 2
    }
    let passed = 0
    let failed = 0
    let malformed = 0
    for (const file of files) {
      const parsed = readTestFile(file)
      if (typeof parsed === 'string') {
        process.stderr.write(`${parsed}\n`)
        malformed++
        continue
      }
      for (const r of runTestFile(parsed)) {
        process.stdout.write(formatResult(r))
        if (r.ok) passed++
        else failed++
      }
    }
    process.stdout.write(`${passed} passed, ${failed} failed\n`)
    return malformed ? 2 : failed ? 1 : 0
  },
}

/** readTestFile reads and parses one test file, or returns why it cannot be used. */
function readTestFile(file: string): RuleTestFile | string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    return `${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
  }
  try {
    // A `rules:` reference is relative to the test file, as in promtool.
    return parseTestFile(text, file, (ref) => loadRulesFile(isAbsolute(ref) ? ref : join(dirname(file), ref)))
  } catch (e) {
    if (e instanceof TestFileError) return e.message
    throw e
  }
}
