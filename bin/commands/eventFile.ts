/** readEventFile reads a JSON Lines file of events for `jiancha replay` and `jiancha kpi replay`. */
import { createReadStream, statSync } from 'node:fs'
import { LineParser, Utf8Text } from '../../rules/index.ts'

/**
 * readEventFile parses the file ("-": stdin) as it is read, so the raw text is never held
 * in memory whole: its events, and its bad lines with their numbers. Like readline,
 * which read it before, it decodes UTF-8 as StringDecoder does and drops an incomplete
 * character at the very end. A file that is missing or no file throws, naming it.
 */
export async function readEventFile(file: string): Promise<LineParser> {
  if (file !== '-') {
    try {
      if (!statSync(file).isFile()) throw new Error('not a file')
    } catch (e) {
      throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
    }
  }
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 })
  const parser = new LineParser()
  const text = new Utf8Text()
  try {
    for await (const chunk of input) parser.write(text.decode(chunk as Buffer))
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`)
  }
  parser.end()
  return parser
}
