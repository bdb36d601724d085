/** The public face of common/http: other components import from here, and only from here. */
export { readBody } from './body.ts'
export { sendJson } from './json.ts'
export { SourceAuth } from './tokenAuth.ts'
