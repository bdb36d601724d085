import { describe, expect, it } from 'vitest'
import { splitSql } from './split.ts'

describe('splitSql', () => {
  it('splits at top-level semicolons and drops empty and comment-only statements', () => {
    expect(splitSql('select 1;\n-- just a comment\n;  select 2 ;\n/* c */')).toEqual(['select 1', 'select 2'])
  })

  it('keeps semicolons inside strings, identifiers, comments and dollar bodies', () => {
    const sql = [
      `insert into t values ('a;b', 'it''s;', E'x\\';y')`,
      `select 1 as "we;ird"`,
      `do $$ begin perform 1; end $$`,
      `do $fn$ begin raise notice '$$;'; end $fn$`,
      `select 2 /* a; /* nested; */ still; */`,
      `select $1::int -- trailing; comment`,
    ]
    // The script's last statement ends in a comment, so it has no closing semicolon.
    expect(splitSql(sql.join(';\n') + '\n')).toEqual(sql)
  })

  it('returns nothing for a script of comments', () => {
    expect(splitSql('-- only\n/* comments */\n')).toEqual([])
  })
})
