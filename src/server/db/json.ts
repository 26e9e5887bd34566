import type { ColumnType } from 'kysely'

/**
 * A jsonb column: read back as the value, written as JSON text. Both drivers
 * would serialize objects themselves, but pg turns a JS array into a
 * PostgreSQL array literal, so every write goes through toJson() instead.
 */
export type Json<T> = ColumnType<T, string, string>

export function toJson(value: unknown): string {
  return JSON.stringify(value)
}
