/**
 * npm warns EBADENGINE when a package wants a newer Node than ours: every package the
 * lockfile holds must accept the oldest Node our engines field (and the README) allow.
 */
import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

const root = new URL('../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> }

describe('the Node version', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version

  it('that we claim is accepted by every installed package', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
      .map(([name, p]) => `${name} wants node ${(p.engines as { node: string }).node}`)
    expect(refusing).toEqual([])
  })

  it('is the one the README names', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8')
    expect(readme).toContain(`Node.js ${semver.major(oldest)}.${semver.minor(oldest)}`)
  })

  it('is satisfied by the Node running the tests', () => {
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true)
  })
})
