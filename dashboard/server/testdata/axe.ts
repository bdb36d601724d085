/**
 * axe-core in the browser tests: injected into the page under test, it checks what a
 * person using the page meets (WCAG 2.1 A and AA: contrast of at least 4.5:1, names
 * of controls, landmarks, …) on the page as rendered, fonts and palette included.
 */
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** WCAG_TAGS are the rule sets a scan runs. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * axeViolations scans the page (or the part under `include`) and returns one line per
 * violation: rule, help and the first offending elements; empty when it passes.
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH })
  const found = await page.evaluate(
    async ({ tags, include }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe
      const r = await axe.run(include ? { include: [include] } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} (${(n.failureSummary ?? '').split('\n').slice(1, 2).join('').trim()})`) }))
    },
    { tags: WCAG_TAGS, include },
  )
  return found.map((v) => `${v.id}: ${v.help} — ${v.nodes.join('; ')}`)
}
