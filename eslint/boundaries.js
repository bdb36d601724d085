/**
 * The rule `jiancha/boundaries`: components speak only through their faces.
 *
 * A component is a top-level folder (collector, rules, alerts, kpi, dashboard,
 * accounts, demo, bin, bench, test-support) or a folder of common/ (common/bus, …);
 * the browser app, dashboard/web, is one of its own. An import that crosses from one
 * component into another must name the other's face, its index.ts. Beyond that:
 * - the demo (demo/) and the test helpers (test-support/) are imported only by bin/,
 *   bench/ and tests, so nothing of the demo can leak into production;
 * - bin/ is the composition root: only tests import it;
 * - the browser app imports nothing of the server but the shapes both sides share,
 *   common/contract/api.ts (its tests, which run in Node, may also use faces);
 * - a test may also use another component's test helpers (testing.ts, testdata/).
 */
import { dirname, join, normalize, relative, sep } from 'node:path'

const TOP = new Set(['collector', 'rules', 'alerts', 'kpi', 'dashboard', 'accounts', 'demo', 'bin', 'bench', 'test-support', 'eslint'])
/** SHARED is the one module of the contract that the browser app and the server both import. */
export const SHARED = 'common/contract/api.ts'

/** componentOf names the component a repository path belongs to, or null outside every component. */
export function componentOf(path) {
  const parts = path.split('/')
  if (parts[0] === 'common' && parts.length > 2) return `common/${parts[1]}`
  if (parts[0] === 'dashboard' && parts[1] === 'web') return 'dashboard/web'
  if (TOP.has(parts[0]) && parts.length > 1) return parts[0]
  return null
}

/** isTestFile tells tests and their helpers, which may reach the demo and other components' test helpers. */
export function isTestFile(path) {
  return /\.test\.ts$/.test(path) || path.startsWith('test-support/') || path.includes('/testdata/') || path.endsWith('/testing.ts')
}

/** verdict returns why an import from `from` of `to` (repository paths) is refused, or null when it is allowed. */
export function verdict(from, to) {
  const a = componentOf(from)
  const b = componentOf(to)
  // Files at the top (eslint.config.js, vitest.config.ts) configure the tools.
  if (!a || !b || a === b) return null
  const test = isTestFile(from)
  // The browser's own tests run in Node and may hold it against the server's faces.
  if (a === 'dashboard/web') return to === SHARED || (test && to === `${b}/index.ts`) ? null : `the browser app imports nothing of the server but ${SHARED} (it imports ${to})`
  if (b === 'demo' || b === 'test-support') {
    if (a === 'bin' || a === 'bench' || a === 'demo' || a === 'test-support' || test) return null
    return `production code must not import ${b}/ (${to}): only bin/, bench/ and tests may`
  }
  if (b === 'bin') return test ? null : `only tests import bin/, the composition root (${to})`
  const face = `${b}/index.ts`
  if (to === face || to === SHARED) return null
  if (test && (to.endsWith('/testing.ts') || to.includes('/testdata/'))) return null
  return `import ${b} through its face ${face}, not ${to}`
}

/** The ESLint rule: every relative import, export-from, dynamic import() and import type. */
export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports across components go through their faces (index.ts)' },
    schema: [],
    messages: { refused: '{{why}}' },
  },
  create(context) {
    const root = context.cwd
    const file = relative(root, context.filename).split(sep).join('/')
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return
      const to = normalize(join(dirname(file), source.value)).split(sep).join('/')
      const why = verdict(file, to)
      if (why) context.report({ node, messageId: 'refused', data: { why } })
    }
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source.type === 'Literal' ? n.source : null),
      TSImportType: (n) => check(n, n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.source),
    }
  },
}

export default { rules: { boundaries } }
