import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AttachmentError, AttachmentStore, checkUpload, readLimited, sanitizeName, sniffType } from './attachments.ts'

const bytes = (...parts: Array<number[] | string>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\n1 0 obj << >> endobj\n%%EOF')
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR....')
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')
const EXE = bytes('MZ\x90\x00', 'This program cannot be run in DOS mode')

const code = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as AttachmentError).code
  }
  return 'accepted'
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name))
  return out.sort()
}

describe('sniffType', () => {
  it.each([
    ['PDF', PDF, 'application/pdf'],
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['EXE', EXE, null],
    ['HTML', bytes('<html><script>alert(1)</script>'), null],
    ['a truncated PNG signature', bytes([0x89, 0x50, 0x4e]), null],
    ['nothing', bytes(''), null],
  ])('judges %s by its bytes', (_n, b, type) => expect(sniffType(b)).toBe(type))
})

describe('checkUpload', () => {
  it('judges a .png name with PDF bytes as a PDF', () => {
    expect(checkUpload({ name: '现场照片.png', bytes: PDF })).toMatchObject({ type: 'application/pdf', name: '现场照片.png', size: PDF.length })
  })
  it('refuses an .exe, whatever it is called', () => {
    expect(code(() => checkUpload({ name: 'setup.exe', bytes: EXE }))).toBe('bad_type')
    expect(code(() => checkUpload({ name: 'report.pdf', bytes: EXE }))).toBe('bad_type')
  })
  it('refuses a file over the size limit, and an empty one', () => {
    expect(code(() => checkUpload({ name: 'a.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(100)]) }, { maxBytes: 100, maxFiles: 5 }))).toBe('too_large')
    expect(code(() => checkUpload({ name: 'a.pdf', bytes: Buffer.alloc(0) }))).toBe('empty')
  })
  it('refuses 10 MB and one byte by default, accepts exactly 10 MB', () => {
    const ten = Buffer.alloc(10 * 1024 * 1024)
    PDF.copy(ten)
    expect(code(() => checkUpload({ name: 'big.pdf', bytes: ten }))).toBe('accepted')
    expect(code(() => checkUpload({ name: 'big.pdf', bytes: Buffer.concat([ten, Buffer.alloc(1)]) }))).toBe('too_large')
  })
  it('names the file by the sha256 of its content', () => {
    expect(checkUpload({ name: 'x.jpg', bytes: JPEG }).sha256).toBe(createHash('sha256').update(JPEG).digest('hex'))
  })
})

describe('sanitizeName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['/abs/path/报告.pdf', '报告.pdf'],
    ['..', 'attachment'],
    ['.htaccess', 'htaccess'],
    ['a\u0000b\r\n.pdf', 'ab.pdf'],
    ['evil\u202egnp.exe', 'evilgnp.exe'],
    ['a<b>:c"d|e?f*.pdf', 'a_b__c_d_e_f_.pdf'],
    ['', 'attachment'],
  ])('makes %j harmless: %j', (raw, clean) => expect(sanitizeName(raw)).toBe(clean))
  it('caps the length and keeps the extension', () => {
    const s = sanitizeName(`${'长'.repeat(300)}.pdf`)
    expect([...s]).toHaveLength(120)
    expect(s.endsWith('.pdf')).toBe(true)
  })
})

describe('readLimited', () => {
  it('stops reading as soon as the stream passes the limit', async () => {
    let pulled = 0
    async function* chunks() {
      for (let i = 0; i < 100; i++) {
        pulled++
        yield Buffer.alloc(1024)
      }
    }
    await expect(readLimited(chunks(), 4096)).rejects.toMatchObject({ code: 'too_large' })
    expect(pulled).toBe(5)
    expect(await readLimited(Readable.from([PDF]), 4096)).toEqual(PDF)
  })
})

describe('AttachmentStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jiancha-att-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('stores files under their sha256, never under the client name', async () => {
    const store = new AttachmentStore(join(dir, 'attachments'))
    const refs = await store.saveAll([
      { name: '../../../../tmp/pwned.pdf', bytes: PDF },
      { name: '/etc/cron.d/x.png', bytes: PNG },
    ])
    expect(refs.map((r) => r.name)).toEqual(['pwned.pdf', 'x.png'])
    const files = await filesUnder(dir)
    expect(files).toEqual(refs.map((r) => join(dir, 'attachments', r.sha256.slice(0, 2), r.sha256)).sort())
    expect(await store.read(refs[1]!.sha256)).toEqual(PNG)
  })

  it('stores nothing when one file of the submission is refused', async () => {
    const store = new AttachmentStore(dir)
    await expect(store.saveAll([{ name: 'a.pdf', bytes: PDF }, { name: 'b.exe', bytes: EXE }])).rejects.toMatchObject({ code: 'bad_type', fileName: 'b.exe' })
    expect(await filesUnder(dir)).toEqual([])
  })

  it('refuses a sixth file', async () => {
    const store = new AttachmentStore(dir)
    await expect(store.saveAll(Array(6).fill({ name: 'a.pdf', bytes: PDF }))).rejects.toMatchObject({ code: 'too_many' })
  })

  it('keeps identical content once', async () => {
    const store = new AttachmentStore(dir)
    const [a, b] = await store.saveAll([{ name: 'a.pdf', bytes: PDF }, { name: 'copy.pdf', bytes: PDF }])
    expect(a!.sha256).toBe(b!.sha256)
    expect(await filesUnder(dir)).toHaveLength(1)
  })

  it('reads nothing outside its directory, whatever hash it is given', async () => {
    const store = new AttachmentStore(dir)
    await expect(store.read('../../etc/passwd')).rejects.toMatchObject({ code: 'not_found' })
    await expect(store.read('0'.repeat(64))).rejects.toMatchObject({ code: 'not_found' })
    expect(() => store.pathOf('A'.repeat(64))).toThrow(AttachmentError)
  })
})
