/** Accounts, roles, sessions and department isolation: other components import from here, and only from here. */
export { type Action, type AlertScope, alertScope, can, permissions } from './access.ts'
export { allowMethod, type HttpMethod, withSession } from './gate.ts'
export { hashPassword } from './password.ts'
export { signInRoutes } from './signInRoutes.ts'
export { SESSION_COOKIE, Sessions } from './sessions.ts'
export { ALL_ROOM, deptRoom, dropEndedSessions, emitAlert, emitToHolders, requireSignIn, roomsFor } from './socket.ts'
export { type UserAudit, type UserAuditEntry, userRoutes } from './userRoutes.ts'
export {
  checkAccount, checkPassword, createUser, findUser, listUsers, MAX_PASSWORD, MAX_REASON, MIN_PASSWORD, type NewUser, resetPassword, ROLES, setDisabled, setPasswordHash,
  UnknownUserError, type User, UserError,
} from './users.ts'
