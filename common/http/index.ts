/** The public face of common/http: other components import from here, and only from here. */
export { readBody } from './body.ts'
export { sendJson } from './json.ts'
export { BODY_FIELD, isJsonType, type JsonBody, readJson, type ReadJsonOptions } from './readJson.ts'
export { SourceAuth } from './tokenAuth.ts'
export { clientAddress, trustedProxies } from './clientAddress.ts'
