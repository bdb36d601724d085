import { ESLint, RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { boundaries, componentOf, verdict } from './boundaries.js'

describe('componentOf', () => {
  it('names top-level components, the folders of common and the browser app', () => {
    expect(componentOf('alerts/notify/text.ts')).toBe('alerts')
    expect(componentOf('common/time/zone.ts')).toBe('common/time')
    expect(componentOf('dashboard/web/src/api.ts')).toBe('dashboard/web')
    expect(componentOf('dashboard/server/wallFeed.ts')).toBe('dashboard')
    expect(componentOf('eslint.config.js')).toBeNull()
  })
})

describe('verdict', () => {
  it.each([
    ['alerts/service.ts', 'rules/index.ts'],
    ['alerts/service.ts', 'alerts/lifecycle/threadStore.ts'],
    ['alerts/service.ts', 'common/contract/api.ts'],
    ['bin/platform.ts', 'demo/index.ts'],
    ['bench/synthetic.ts', 'demo/index.ts'],
    ['alerts/notifier.test.ts', 'demo/index.ts'],
    ['alerts/notifier.test.ts', 'common/db/testing.ts'],
    ['rules/worker.test.ts', 'test-support/platform.ts'],
    ['test-support/platform.ts', 'bin/platform.ts'],
    ['dashboard/web/src/api.ts', 'common/contract/api.ts'],
    ['dashboard/web/src/userForm.test.ts', 'accounts/index.ts'],
    ['eslint.config.js', 'eslint/boundaries.js'],
  ])('lets %s import %s', (from, to) => expect(verdict(from, to)).toBeNull())

  it.each([
    ['alerts/service.ts', 'rules/engine.ts', 'through its face rules/index.ts'],
    ['dashboard/server/consoleRoutes.ts', 'alerts/lifecycle/threadStore.ts', 'through its face alerts/index.ts'],
    ['alerts/notify/text.ts', 'demo/index.ts', 'must not import demo/'],
    ['collector/server.ts', 'test-support/platform.ts', 'must not import test-support/'],
    ['alerts/service.ts', 'bin/platform.ts', 'only tests import bin/'],
    ['dashboard/web/src/api.ts', 'accounts/index.ts', 'imports nothing of the server but common/contract/api.ts'],
    ['dashboard/web/src/api.ts', 'common/contract/alert.ts', 'imports nothing of the server'],
    ['alerts/service.test.ts', 'rules/engine.ts', 'through its face rules/index.ts'],
  ])('refuses %s importing %s', (from, to, why) => expect(verdict(from, to)).toContain(why))
})

// RuleTester runs its cases as tests of the runner it is given.
RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } })
const cwd = process.cwd()
tester.run('jiancha/boundaries', boundaries, {
  valid: [
    { code: "import { startRulesWorker } from '../rules/index.ts'", filename: `${cwd}/alerts/service.ts` },
    { code: "import { readFileSync } from 'node:fs'", filename: `${cwd}/alerts/service.ts` },
    { code: "const m = await import('../../bench/index.ts')", filename: `${cwd}/bin/commands/bench.ts` },
  ],
  invalid: [
    { code: "import { RuleEngine } from '../rules/engine.ts'", filename: `${cwd}/alerts/service.ts`, errors: [{ messageId: 'refused' }] },
    { code: "export { RuleEngine } from '../rules/engine.ts'", filename: `${cwd}/alerts/index.ts`, errors: [{ messageId: 'refused' }] },
    { code: "const m = await import('../demo/city.ts')", filename: `${cwd}/alerts/notify.ts`, errors: [{ messageId: 'refused' }] },
    { code: "type T = typeof import('../rules/engine.ts')", filename: `${cwd}/alerts/service.ts`, errors: [{ messageId: 'refused' }] },
  ],
})

describe('npm run lint', () => {
  it('fails on a deliberate deep import across components, with the project config', async () => {
    const eslint = new ESLint({ cwd })
    const [r] = await eslint.lintText("import { RuleEngine } from '../rules/engine.ts'\nexport const e = RuleEngine\n", { filePath: `${cwd}/alerts/deliberate.ts` })
    expect(r!.messages.map((m) => m.ruleId)).toContain('jiancha/boundaries')
    expect(r!.messages.find((m) => m.ruleId === 'jiancha/boundaries')!.message).toContain('through its face rules/index.ts')
  })
})
