/**
 * Evidence attached to a rectification (整改材料): PDF, PNG or JPEG only, judged by
 * the file's first bytes, never by the client's name or content-type. Files are
 * stored under the data directory by the sha256 of their content, so the client's
 * file name never reaches a path; it is kept, sanitized, as display metadata only.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MAX_ATTACHMENTS, type AttachmentRef, type AttachmentType } from './states.ts'

/** AttachmentLimits bound one submission. */
export interface AttachmentLimits {
  /** bytes per file */
  maxBytes: number
  /** files per submission */
  maxFiles: number
}

/** DEFAULT_LIMITS: 10 MB per file, 5 files per submission. */
export const DEFAULT_LIMITS: AttachmentLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: MAX_ATTACHMENTS }

/** AttachmentErrorCode names why an upload was refused. */
export type AttachmentErrorCode = 'too_large' | 'too_many' | 'bad_type' | 'empty' | 'not_found'

/** AttachmentError is an upload refused for a reason the client can be told. */
export class AttachmentError extends Error {
  constructor(readonly code: AttachmentErrorCode, message: string, readonly fileName?: string) {
    super(message)
  }
}

/** Upload is one file as the client sent it. */
export interface Upload {
  name: string
  bytes: Uint8Array
}

const SIGNATURES: Array<{ type: AttachmentType; magic: number[] }> = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
]

/** sniffType returns the accepted type the bytes start with, or null. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  for (const s of SIGNATURES) {
    if (bytes.length >= s.magic.length && s.magic.every((b, i) => bytes[i] === b)) return s.type
  }
  return null
}

const MAX_NAME = 120

/**
 * sanitizeName keeps a client file name fit for display and a Content-Disposition
 * header: the last path segment, without control characters, reserved characters or
 * leading dots, at most 120 characters. It is never used to build a path.
 */
export function sanitizeName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? ''
  const clean = base
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*;]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
  const chars = [...clean]
  if (chars.length === 0) return 'attachment'
  if (chars.length <= MAX_NAME) return clean
  // Keep the extension so the name still tells what the file was.
  const dot = clean.lastIndexOf('.')
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : ''
  return chars.slice(0, MAX_NAME - [...ext].length).join('') + ext
}

const SHA256 = /^[0-9a-f]{64}$/

/** checkUpload returns the upload's reference, or throws an AttachmentError; it writes nothing. */
export function checkUpload(u: Upload, limits: AttachmentLimits = DEFAULT_LIMITS): AttachmentRef {
  const name = sanitizeName(u.name)
  if (u.bytes.length === 0) throw new AttachmentError('empty', `${name} is empty`, name)
  if (u.bytes.length > limits.maxBytes) {
    throw new AttachmentError('too_large', `${name} is ${u.bytes.length} bytes; at most ${limits.maxBytes} are accepted`, name)
  }
  const type = sniffType(u.bytes)
  if (!type) throw new AttachmentError('bad_type', `${name} is not a PDF, PNG or JPEG file`, name)
  return { sha256: createHash('sha256').update(u.bytes).digest('hex'), name, size: u.bytes.length, type }
}

/**
 * readLimited collects a request body or file stream, failing as soon as it grows
 * past maxBytes, so an oversize upload is never held in memory whole.
 */
export async function readLimited(chunks: AsyncIterable<Uint8Array>, maxBytes: number, name = 'upload'): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const c of chunks) {
    size += c.length
    if (size > maxBytes) throw new AttachmentError('too_large', `${sanitizeName(name)} is over ${maxBytes} bytes`, sanitizeName(name))
    parts.push(c)
  }
  return Buffer.concat(parts)
}

/** AttachmentStore keeps attachment files under one directory, by content hash. */
export class AttachmentStore {
  constructor(readonly dir: string, readonly limits: AttachmentLimits = DEFAULT_LIMITS) {}

  /**
   * saveAll checks every upload first and stores them only if all pass, so a
   * submission is accepted or refused whole. Identical content is stored once.
   */
  async saveAll(uploads: readonly Upload[]): Promise<AttachmentRef[]> {
    if (uploads.length > this.limits.maxFiles) {
      throw new AttachmentError('too_many', `${uploads.length} files; at most ${this.limits.maxFiles} per submission`)
    }
    const refs = uploads.map((u) => checkUpload(u, this.limits))
    for (let i = 0; i < uploads.length; i++) await this.write(refs[i]!.sha256, uploads[i]!.bytes)
    return refs
  }

  /** pathOf returns where a stored file lives; a malformed hash throws rather than reach the file system. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AttachmentError('not_found', 'no such attachment')
    return join(this.dir, sha256.slice(0, 2), sha256)
  }

  /** read returns a stored file's bytes, or throws not_found. */
  async read(sha256: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(sha256))
    } catch (e) {
      if (e instanceof AttachmentError) throw e
      throw new AttachmentError('not_found', 'no such attachment')
    }
  }

  private async write(sha256: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(sha256)
    if (await exists(target)) return
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true, mode: 0o750 })
    // Write aside and rename: a reader never sees half a file, and a crash leaves only a temp file.
    const tmp = join(this.dir, sha256.slice(0, 2), `.tmp-${randomBytes(8).toString('hex')}`)
    try {
      await writeFile(tmp, bytes, { mode: 0o640, flag: 'wx' })
      await rename(tmp, target)
    } catch (e) {
      await rm(tmp, { force: true })
      throw e
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
