/**
 * pageAction is how pages and forms run a change: one at a time (busy), the server's
 * refusal shown in words, and on success a notice and the page's list reloaded (when
 * given), so it shows what the server now holds.
 */
import { ref, type Ref } from 'vue'
import { errorText } from './errorText.ts'
import type { Lang } from './i18n.ts'

/** PageAction is the state a page shows around its changes, and how it runs one. */
export interface PageAction {
  busy: Ref<boolean>
  error: Ref<string>
  notice: Ref<string>
  /** act runs fn; on success shows `ok` (if any) and reloads, on failure shows why. */
  act(fn: () => Promise<unknown>, ok?: string): Promise<void>
}

/** pageAction builds the state of one page or form; `lang` is read when an error is worded. */
export function pageAction(lang: () => Lang, reload?: () => Promise<void>): PageAction {
  const busy = ref(false)
  const error = ref('')
  const notice = ref('')
  return {
    busy,
    error,
    notice,
    async act(fn, ok) {
      busy.value = true
      error.value = ''
      notice.value = ''
      try {
        await fn()
        if (ok !== undefined) notice.value = ok
        await reload?.()
      } catch (e) {
        error.value = errorText(lang(), e)
      } finally {
        busy.value = false
      }
    },
  }
}
