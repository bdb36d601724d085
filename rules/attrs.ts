/** Typed reads of an event's `attrs`, after schema validation. */
import type { CaseEvent } from '../common/contract/index.ts'

/** num returns a numeric attribute, or the fallback when absent or not a number. */
export function num(ev: CaseEvent, key: string, fallback: number): number {
  const v = ev.attrs?.[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}

/** str returns a string attribute, or undefined. */
export function str(ev: CaseEvent, key: string): string | undefined {
  const v = ev.attrs?.[key]
  return typeof v === 'string' ? v : undefined
}

/** bool returns a boolean attribute, or undefined. */
export function bool(ev: CaseEvent, key: string): boolean | undefined {
  const v = ev.attrs?.[key]
  return typeof v === 'boolean' ? v : undefined
}
