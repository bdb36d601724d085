/**
 * A small CSV reader (RFC 4180: commas, double-quoted fields with "" for a quote,
 * CRLF or LF line ends, a UTF-8 byte-order mark ignored), enough for a spreadsheet's
 * "save as CSV". Each record keeps the line it starts on, so errors can name it.
 */

/** CsvRecord is one record and the line (1-based) it starts on. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/** CsvError names the line where the text stops being CSV. */
export class CsvError extends Error {
  constructor(readonly line: number, problem: string) {
    super(`line ${line}: ${problem}`)
    this.name = 'CsvError'
  }
}

/** parseCsv splits text into records; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.replace(/^\uFEFF/, '')
  const out: CsvRecord[] = []
  let line = 1
  let i = 0
  while (i < s.length) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let field = ''
      if (s[i] === '"') {
        i++
        for (;;) {
          if (i >= s.length) throw new CsvError(start, 'a quoted field is not closed (a " is missing)')
          const c = s[i]!
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (c === '\n') line++
          field += c
          i++
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') throw new CsvError(line, 'text after a closing quote; write "" for a quote inside a quoted field')
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') throw new CsvError(line, 'a quote inside an unquoted field; quote the whole field and write "" for the quote')
          field += s[i]
          i++
        }
      }
      fields.push(field)
      if (s[i] === ',') {
        i++
        continue
      }
      break
    }
    if (s[i] === '\r') i++
    if (s[i] === '\n') i++
    line++
    if (!(fields.length === 1 && fields[0]!.trim() === '')) out.push({ line: start, fields })
  }
  return out
}
