/**
 * Live pushes by scope: every signed-in socket joins the rooms of its alert scope
 * (`all`, or `dept:<code>` for a department user), and a card is sent only to `all`
 * and to its own department's room. A department never receives another's cards.
 */
import type { Server, Socket } from 'socket.io'
import { type Action, alertScope, can, type Principal } from './access.ts'
import { sessionToken, type Sessions } from './sessions.ts'
import type { User } from './users.ts'

/** ALL_ROOM is the room of users who read every department. */
export const ALL_ROOM = 'all'

/** deptRoom is the room of one department's users. */
export function deptRoom(dept: string): string {
  return `dept:${dept}`
}

/** roomsFor lists the rooms a user's socket joins: ['all'], ['dept:<code>'] or none. */
export function roomsFor(user: Principal): string[] {
  const scope = alertScope(user)
  if ('all' in scope) return [ALL_ROOM]
  if ('dept' in scope) return [deptRoom(scope.dept)]
  return []
}

/** socketUser returns the signed-in user of a Socket.IO connection, from its handshake cookie. */
export function socketUser(socket: Pick<Socket, 'handshake'>, sessions: Pick<Sessions, 'userOf'>): Promise<User | null> {
  return sessions.userOf(sessionToken(socket.handshake.headers.cookie))
}

/**
 * requireSignIn refuses Socket.IO connections without a live session (the client gets
 * a connect_error "not signed in") and puts each accepted socket in its rooms.
 */
export function requireSignIn(io: Server, sessions: Pick<Sessions, 'userOf'>): void {
  io.use((socket, next) => {
    socketUser(socket, sessions).then(
      (user) => {
        if (!user) return next(new Error('not signed in'))
        socket.data.user = user
        socket.data.token = sessionToken(socket.handshake.headers.cookie)
        void socket.join(roomsFor(user))
        next()
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    )
  })
}

/**
 * emitToHolders sends to each socket whose user holds the action over its own scope
 * (kpi.read: leaders, inspectors, admins, and a department, which reads its own
 * figures): the policy decides, not the rooms.
 */
export function emitToHolders(io: Server, action: Action, event: string, payload: unknown): void {
  for (const socket of io.of('/').sockets.values()) {
    const user = socket.data.user as Principal | undefined
    if (user && can(user, action, user.dept ? { dept: user.dept } : undefined)) socket.emit(event, payload)
  }
}

/** emitAlert sends a card to the users allowed to read it, and to no one else. */
export function emitAlert<A extends { dept: string }>(io: Server, alert: A, event = 'alert'): void {
  io.to([ALL_ROOM, deptRoom(alert.dept)]).emit(event, alert)
}

/**
 * dropEndedSessions disconnects sockets whose session has ended (signed out, expired,
 * account disabled) and returns how many. A socket outlives the request that opened
 * it, so the platform calls this on a timer (once a minute is plenty).
 */
export async function dropEndedSessions(io: Server, sessions: Pick<Sessions, 'userOf'>): Promise<number> {
  let dropped = 0
  for (const socket of io.of('/').sockets.values()) {
    const token = socket.data.token as string | null | undefined
    if (token && (await sessions.userOf(token, { slide: false }))) continue
    socket.disconnect(true)
    dropped++
  }
  return dropped
}
