// The direction of accounts: it sits below the dashboard and beside alerts and rules, so
// it reaches nothing of theirs. Every file of accounts/, its tests and test helpers
// included, imports only accounts/ itself, common/ and packages. (The lint rule checks
// that imports name faces; this checks which way they point.)
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const HERE = fileURLToPath(new URL('.', import.meta.url))

/** sources lists the TypeScript files under dir, by path from the repository root. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return e.name.endsWith('.ts') ? [relative(ROOT, path).split(sep).join('/')] : []
  })
}

/** importsOf returns the relative module specifiers of a source text: import, export … from, import() and import type. */
function importsOf(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.[^']*)'/g)) out.push(m[1]!)
  return out
}

/** reached resolves the relative imports of a file to repository paths. */
function reached(file: string): string[] {
  return importsOf(readFileSync(join(ROOT, file), 'utf8')).map((s) => normalize(join(dirname(file), s)).split(sep).join('/'))
}

describe('accounts\' dependencies', () => {
  it('finds every kind of relative import', () => {
    const text = "import { a } from './a.ts'\nimport type { B } from '../b/index.ts'\nexport { c } from \"pkg\"\nexport * from './d.ts'\nconst e = await import('../e.ts')\nimport './f.ts'"
    expect(importsOf(text)).toEqual(['./a.ts', '../b/index.ts', './d.ts', '../e.ts', './f.ts'])
  })

  it('reach only accounts/ itself and common/, tests and test helpers included', () => {
    // This file's own sample imports are text, not imports.
    const files = sources(HERE).filter((f) => f !== 'accounts/dependencies.test.ts')
    expect(files).toContain('accounts/userRoutes.ts')
    expect(files).toContain('accounts/testdata/server.ts')
    const outside = files.flatMap((f) => reached(f).filter((to) => !to.startsWith('accounts/') && !to.startsWith('common/')).map((to) => `${f} → ${to}`))
    expect(outside).toEqual([])
  })
})
