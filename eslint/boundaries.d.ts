// Types of boundaries.js, which ESLint loads as plain JavaScript.
import type { Rule } from 'eslint'

export const SHARED: string
export function componentOf(path: string): string | null
export function isTestFile(path: string): boolean
export function verdict(from: string, to: string): string | null
export const boundaries: Rule.RuleModule
declare const plugin: { rules: { boundaries: Rule.RuleModule } }
export default plugin
