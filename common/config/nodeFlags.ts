/**
 * NODE_FLAGS are the options every Jiancha process runs Node with: in package.json's
 * scripts, on bin/jiancha.js's first line, and wherever a process is spawned.
 *
 * A young generation of 64 MB a half-space (16 MB by default on Node 20): the rules
 * worker makes short-lived objects by the hundred thousand a second (decoded messages,
 * rows, cards), and with the default space the garbage collector promoted many of them
 * before they died. `npm run bench:worker` on PostgreSQL, three runs each: 15 800
 * events/s median with 16 MB, 19 500 with 64 MB.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64']
