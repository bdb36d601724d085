/**
 * error-text: what to tell the user when a call failed, in their language. The
 * server's `{error, field}` is kept (it says exactly what was wrong); the status
 * decides the sentence around it: a refused state change, a taken username, a file
 * named by 413/415, a missing field, or a server that cannot be reached.
 */
import { ApiError } from './api.ts'
import { t, type Lang } from './i18n.ts'
import type { RectificationProblem } from './uploadCheck.ts'

/** errorText describes a failed call. */
export function errorText(lang: Lang, e: unknown): string {
  if (!(e instanceof ApiError)) return t(lang, 'err.generic', { error: e instanceof Error ? e.message : String(e) })
  const error = e.error
  switch (e.status) {
    case 0:
      return t(lang, 'err.network')
    case 403:
      return t(lang, 'err.forbidden', { error })
    case 404:
      return t(lang, 'err.notFound')
    case 409:
      // The conflicts that are not a state: an account's username or a department's code already in use.
      if (e.field === 'username') return t(lang, 'users.taken')
      if (e.field === 'code') return t(lang, 'depts.taken')
      return t(lang, 'err.wrongState', { error })
    case 413:
      return e.file ? t(lang, 'err.tooLarge', { file: e.file }) : t(lang, 'err.uploadTooLarge')
    case 415:
      if (e.file) return t(lang, 'err.badType', { file: e.file })
  }
  if (e.field && e.status === 400) return t(lang, 'err.field', { field: e.field, error })
  return t(lang, 'err.generic', { error })
}

/** loginErrorText describes a refused sign-in: wrong password, locked out for a while, or a bad request. */
export function loginErrorText(lang: Lang, e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401) return t(lang, 'login.wrong')
    if (e.status === 429) return t(lang, 'login.limited', { n: e.retryAfterS ?? 60 })
    if (e.status === 0) return t(lang, 'err.network')
    return t(lang, 'login.failed', { error: e.error })
  }
  return t(lang, 'login.failed', { error: e instanceof Error ? e.message : String(e) })
}

/** problemText describes what to fix in a rectification before it can be sent. */
export function problemText(lang: Lang, p: RectificationProblem): string {
  switch (p.code) {
    case 'text_short':
      return t(lang, 'err.textShort', { n: p.min })
    case 'too_many':
      return t(lang, 'err.tooMany', { n: p.max })
    case 'bad_type':
      return t(lang, 'err.badType', { file: p.file })
    case 'too_large':
      return t(lang, 'err.tooLarge', { file: p.file })
    case 'empty':
      return t(lang, 'err.emptyFile', { file: p.file })
  }
}
