/**
 * DeptDirectory holds the registry in memory for the hot paths (every text message,
 * every GET /api/v1/depts): a lookup, never a query. It is refreshed when the registry
 * changes — at once by whoever changed it in this process (refresh()), and within
 * one poll (watch()) when another process did (the CLI, the dashboard of a
 * deployment in several processes). Listeners hear of each change that altered it.
 */
import type { DeptNames } from '../contract/index.ts'
import type { Queryable } from '../db/index.ts'
import type { Department } from './department.ts'
import { listDepartments } from './store.ts'

/** DEFAULT_WATCH_MS is how often watch() looks for changes made by other processes. */
export const DEFAULT_WATCH_MS = 15_000

/** DeptDirectory is the registry in memory. */
export class DeptDirectory {
  private byCode = new Map<string, Department>()
  private stamp = ''
  private readonly listeners = new Set<() => void>()

  /** db is where refresh() reads; null for a fixed directory (of()). */
  private constructor(private readonly db: Queryable | null) {}

  /** load reads the registry once; refresh() or watch() keep it current. */
  static async load(db: Queryable): Promise<DeptDirectory> {
    const d = new DeptDirectory(db)
    await d.refresh()
    return d
  }

  /** of builds a fixed directory from a list, for tests and tools without a database. */
  static of(list: readonly Department[]): DeptDirectory {
    const d = new DeptDirectory(null)
    d.set(list)
    return d
  }

  /** nameOf is a registered department's name, or undefined for a code the registry does not hold. */
  nameOf(code: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string | undefined {
    const d = this.byCode.get(code)
    return d ? (lang === 'en' ? d.nameEn : d.nameZh) : undefined
  }

  /** has tells whether the registry holds a code (active or not). */
  has(code: string): boolean {
    return this.byCode.has(code)
  }

  /** list is every registered department, by code. */
  list(): Department[] {
    return [...this.byCode.values()]
  }

  /** names is the registry as the browser takes it; a deactivated department says so. */
  names(): DeptNames {
    const out: DeptNames = {}
    for (const d of this.byCode.values()) out[d.code] = { 'zh-CN': d.nameZh, en: d.nameEn, ...(d.active ? {} : { active: false }) }
    return out
  }

  /** onChange calls fn after each refresh that changed the directory; it returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => void this.listeners.delete(fn)
  }

  /** refresh reads the registry again; true (and listeners told) when it changed. */
  async refresh(): Promise<boolean> {
    if (!this.db) return false
    const changed = this.set(await listDepartments(this.db, { all: true }))
    if (changed) for (const fn of this.listeners) fn()
    return changed
  }

  /**
   * watch refreshes every intervalMs (a registry is a few hundred rows at most, so it
   * simply reads them again); a failed read is reported and tried at the next tick.
   * It returns the stop.
   */
  watch(intervalMs = DEFAULT_WATCH_MS, onError: (e: Error) => void = () => {}): () => void {
    let running = false
    const timer = setInterval(() => {
      if (running) return
      running = true
      this.refresh()
        .catch((e: unknown) => onError(e as Error))
        .finally(() => (running = false))
    }, intervalMs)
    timer.unref()
    return () => clearInterval(timer)
  }

  private set(list: readonly Department[]): boolean {
    const stamp = JSON.stringify(list.map((d) => [d.code, d.nameZh, d.nameEn, d.kind, d.parent, d.active, d.updatedAt.getTime()]))
    if (stamp === this.stamp) return false
    this.stamp = stamp
    this.byCode = new Map(list.map((d) => [d.code, d]))
    return true
  }
}
