// Pure: what an update's audit entry says changed.

/**
 * The fields of `next` whose values differ from `current`'s, with their new values (undefined = not part of
 * the change). Values compare as JSON, so arrays and objects compare by content. `omit` leaves out what is
 * no act of its own (`updatedAt`) or must never be written down (a secret).
 */
export function changedFields<T extends object>(
  current: T,
  next: Partial<T>,
  omit: readonly (keyof T)[] = [],
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next) as [keyof T & string, unknown][]) {
    if (value === undefined || omit.includes(field)) continue;
    if (JSON.stringify(value) !== JSON.stringify(current[field])) changed[field] = value;
  }
  return changed;
}
