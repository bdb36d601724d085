import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { NODE_FLAGS } from './nodeFlags.ts'

const root = new URL('../../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }

describe('the Node options of every Jiancha process', () => {
  it('are those npm start and the benches of the live path run with', () => {
    for (const script of ['start', 'bench:worker', 'bench:e2e', 'bench:kpi']) {
      const args = pkg.scripts[script]!.split(/\s+/)
      for (const flag of NODE_FLAGS) expect(args, script).toContain(flag)
    }
  })

  it('are on the first line of bin/jiancha.js, for a jiancha run as a command', () => {
    const first = readFileSync(new URL('bin/jiancha.js', root), 'utf8').split('\n')[0]!
    expect(first).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`)
  })
})
