import { describe, expect, it } from 'vitest'
import { CsvError, parseCsv } from './csv.ts'

describe('parseCsv', () => {
  it('reads records with the line each starts on, skipping blank lines and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\r\n\r\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ])
  })

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"a,b","say ""hi""",\n"two\nlines",x\nlast,')).toEqual([
      { line: 1, fields: ['a,b', 'say "hi"', ''] },
      { line: 2, fields: ['two\nlines', 'x'] },
      { line: 4, fields: ['last', ''] },
    ])
  })

  it('names the line of a broken quote', () => {
    expect(() => parseCsv('a\nb,"open\n')).toThrow(new CsvError(2, 'a quoted field is not closed (a " is missing)'))
    expect(() => parseCsv('a\n"x"y,z')).toThrow('line 2: text after a closing quote')
    expect(() => parseCsv('a\nx"y,z')).toThrow('line 2: a quote inside an unquoted field')
  })
})
