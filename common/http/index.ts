/** The public face of common/http: other components import from here, and only from here. */
export { readBody } from './body.ts'
export { sendJson } from './json.ts'
export { BODY_FIELD, isJsonType, type JsonBody, jsonProblem, type JsonProblem, MAX_JSON_DEPTH, readJson, type ReadJsonOptions, textProblem } from './readJson.ts'
export { SourceAuth } from './tokenAuth.ts'
export { clientAddress, trustedProxies } from './clientAddress.ts'
