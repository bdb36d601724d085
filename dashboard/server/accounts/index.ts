/** Accounts, roles and isolation: what the rest of the platform may use. */
export { ACTIONS, alertScope, can, permissions, type Action, type AlertScope, type Principal, type Resource } from './access.ts'
export { maskIdNumber, maskName, maskPersonal, maskPhone, maskText } from '../../../common/mask.ts'
export { dummyHash, hashPassword, SCRYPT_PARAMS, verifyPassword, type ScryptParams } from './password.ts'
export { accountRoutes, type AccountHandler, type AccountRoutesDeps, type UnmaskAudit } from './routes.ts'
export { SESSION_COOKIE, SESSION_TTL_MS, sessionToken, Sessions, type LoginAudit, type LoginResult, type SessionOptions } from './sessions.ts'
export { ALL_ROOM, deptRoom, dropEndedSessions, emitAlert, requireSignIn, roomsFor, socketUser } from './socket.ts'
export { createUser, findUser, listUsers, ROLES, UserError, type NewUser, type Role, type User } from './users.ts'
