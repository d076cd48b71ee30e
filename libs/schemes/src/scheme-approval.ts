// Pure: whether a scheme's approval setting (DESIGN.md §5.4) fits its levels.
import { SchemeApproval } from './scheme';

/** Why `approval` does not fit a scheme's levels, or null when it does: minRank must be one of its ranks. */
export function approvalProblem(
  approval: SchemeApproval | null | undefined,
  levels: readonly { rank: number }[],
): string | null {
  if (approval == null) return null;
  const ranks = levels.map((l) => l.rank).sort((a, b) => a - b);
  if (!Number.isInteger(approval.minRank) || !ranks.includes(approval.minRank)) {
    return `approval.minRank must be one of the scheme's ranks (${ranks.join(', ')}).`;
  }
  return null;
}
