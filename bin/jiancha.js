#!/usr/bin/env -S node --max-semi-space-size=64
// The `jiancha` command. TypeScript sources run through tsx, so there is no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./cli.ts')
process.exitCode = await main(process.argv.slice(2))
