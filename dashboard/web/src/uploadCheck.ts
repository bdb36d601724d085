/**
 * Checks of a rectification before it is uploaded: the text long enough, at most five
 * files, each a PDF, PNG or JPEG of at most 10 MB. The server judges files by their
 * bytes and answers 413/415 naming the file; checking here first saves sending 50 MB
 * that would be refused, and names the problem in the user's language.
 */
import { MAX_ATTACHMENTS, MIN_RECTIFICATION_TEXT } from '../../../common/contract/api.ts'

/** MAX_FILE_BYTES is the largest attachment (alerts/lifecycle/attachments.ts DEFAULT_LIMITS). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024

export { MAX_ATTACHMENTS, MIN_RECTIFICATION_TEXT }

/** ACCEPT is the file input's accept attribute. */
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg'

/** FileInfo is the part of a File the checks read. */
export interface FileInfo {
  name: string
  size: number
  type: string
}

/** RectificationProblem is the first thing wrong with a rectification, for the user to fix. */
export type RectificationProblem =
  | { code: 'text_short'; min: number }
  | { code: 'too_many'; max: number }
  | { code: 'bad_type'; file: string }
  | { code: 'too_large'; file: string }
  | { code: 'empty'; file: string }

const TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg'])
const EXTENSIONS = /\.(pdf|png|jpe?g)$/i

/** acceptedType tells whether a file looks like a PDF, PNG or JPEG, by its type or else its name. */
export function acceptedType(f: FileInfo): boolean {
  return f.type ? TYPES.has(f.type) : EXTENSIONS.test(f.name)
}

/** checkRectification returns the first problem of a rectification, or null when it may be sent. */
export function checkRectification(text: string, files: readonly FileInfo[]): RectificationProblem | null {
  if ([...text.trim()].length < MIN_RECTIFICATION_TEXT) return { code: 'text_short', min: MIN_RECTIFICATION_TEXT }
  if (files.length > MAX_ATTACHMENTS) return { code: 'too_many', max: MAX_ATTACHMENTS }
  for (const f of files) {
    if (!acceptedType(f)) return { code: 'bad_type', file: f.name }
    if (f.size > MAX_FILE_BYTES) return { code: 'too_large', file: f.name }
    if (f.size === 0) return { code: 'empty', file: f.name }
  }
  return null
}
