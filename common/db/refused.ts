/**
 * refusedForData tells a database error that blames the rows being written (the same
 * rows would be refused again) from trouble of the moment (the database gone, a lock,
 * a deadlock), which the same write may get past later. The batch writers (the rules'
 * event store, the alert service) leave out only the rows it blames.
 */

/**
 * SQLSTATE classes that blame the data: data exception (22: a value the type cannot
 * hold, such as \u0000 in jsonb), integrity constraint (23) and program limit (54: an
 * index row too large). Anything else (a lost connection, 08; a shutdown, 57; a
 * deadlock, 40) is about the moment, not the rows.
 */
const DATA_CLASSES = ['22', '23', '54']

/** refusedForData tells whether an error says the rows themselves cannot be stored. */
export function refusedForData(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && DATA_CLASSES.includes(code.slice(0, 2))
}
