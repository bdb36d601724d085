// Fixture for reaper.test.ts: spawns `sleep`, registers it, prints its pid, then
// leaves the way argv[2] says ("exit" or a signal name).
import { spawn } from 'node:child_process'
import { reapOnExit } from '../reaper.ts'

const child = spawn('sleep', ['30'], { stdio: 'ignore' })
reapOnExit(child)
child.unref()
process.stdout.write(`${child.pid}\n`)
const how = process.argv[2]
setTimeout(() => {
  if (how === 'exit') process.exit(0)
  else process.kill(process.pid, how as NodeJS.Signals)
}, 100)
// Keep the loop alive until we leave as told.
setInterval(() => {}, 1000)
