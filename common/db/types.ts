/**
 * Type parsing shared by both backends, so that rows look the same whichever one
 * served them. Both already give Date for timestamptz, objects for json/jsonb and
 * arrays for text[]; these overrides fix the cases where they differ.
 */
import pg from 'pg'

/** parseInt8 turns an int8 (count(*), bigint) into a number, or a bigint beyond 2^53 (as PGlite does). */
export function parseInt8(text: string): number | bigint {
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : BigInt(text)
}

/**
 * parseDate keeps a `date` as its 'YYYY-MM-DD' text. pg makes a Date at local
 * midnight and PGlite one at UTC midnight; a calendar day is not an instant anyway.
 */
export function parseDate(text: string): string {
  return text
}

type Parser = (text: string) => unknown

/** PARSERS maps type OIDs to the overrides above (PGlite's `parsers` option; PGlite applies them to array elements too). */
export const PARSERS: Record<number, Parser> = {
  20: parseInt8,
  1082: parseDate,
}

// pg parses arrays with the default element parser, so its arrays need their own entries.
const PG_PARSERS: Record<number, Parser> = {
  ...PARSERS,
  1016: arrayOf(parseInt8),
  1182: arrayOf(parseDate),
}

function arrayOf(parse: Parser): Parser {
  // pg-types' typings declare a function, but at runtime arrayParser is { create }.
  const ap = pg.types.arrayParser as unknown as { create(src: string, f: Parser): { parse(): unknown[] } }
  return (text) => ap.create(text, parse).parse()
}

/** pgTypes is the `types` option for a pg.Pool; it leaves pg's global parsers alone. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (format !== 'binary' && PG_PARSERS[oid]) return PG_PARSERS[oid]
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format)
  },
} as pg.CustomTypesConfig
