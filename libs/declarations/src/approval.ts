// Pure: the four-eyes rules of DESIGN.md §5.4 — which declarations wait for a second key, who may decide,
// and what approving one late does to its times.
import { ApprovalState, Declaration } from './declaration';

/** A scheme's approval setting: declarations at or above `minRank` wait for a second key; null = none do. */
export interface ApprovalRule {
  minRank: number;
}

/** Whether a declaration of `rank` in a scheme with `approval` needs a second key before it is announced. */
export function needsApproval(approval: ApprovalRule | null | undefined, rank: number): boolean {
  return approval != null && rank >= approval.minRank;
}

/** The approval state a new declaration starts in: null (none needed), pending, or urgent (an admin skipped it). */
export function approvalOnPublish(
  approval: ApprovalRule | null | undefined,
  rank: number,
  urgent: boolean,
): ApprovalState | null {
  if (urgent) return 'urgent';
  return needsApproval(approval, rank) ? 'pending' : null;
}

/**
 * Whether cancelling `declaration` waits for a second key: it did need approval (approved or urgent), or its
 * rank needs it now. Pending ones are withdrawn at once: they never took effect.
 */
export function cancelNeedsApproval(
  declaration: Pick<Declaration, 'approval' | 'level'>,
  approval: ApprovalRule | null | undefined,
): boolean {
  if (declaration.approval === 'pending' || declaration.approval === 'rejected') return false;
  return (
    declaration.approval === 'approved' ||
    declaration.approval === 'urgent' ||
    needsApproval(approval, declaration.level.rank)
  );
}

/** Why a key may not decide (approve or reject) what another asked for, or null when it may. */
export function refusalToDecide(
  askedBy: { id: string },
  decider: { id: string; role?: string },
): string | null {
  if (decider.role !== 'publisher' && decider.role !== 'admin')
    return 'Only a publisher or admin key may decide.';
  if (decider.id === askedBy.id)
    return 'A second key must decide: the key that asked cannot approve or reject it.';
  return null;
}

export type ApprovalTiming =
  | { kind: 'as-published'; effectiveAt: Date }
  | { kind: 'starts-now'; effectiveAt: Date }
  | { kind: 'expired' };

/**
 * What approving a pending declaration at `now` does to its start. A start at or after its publication (the
 * default is "now") that has passed while it waited becomes `now`: it was in force from no instant before
 * someone approved it. A start before publication stays (the publisher recorded when it began, as
 * publishing such a declaration does). One whose
 * expiry passed while it waited cannot be approved; one recorded wholly in the past (history) keeps its times.
 */
export function approvalTiming(
  declaration: Pick<Declaration, 'effectiveAt' | 'expiresAt' | 'createdAt'>,
  now: Date,
): ApprovalTiming {
  const { effectiveAt, expiresAt, createdAt } = declaration;
  const history = expiresAt !== null && expiresAt <= createdAt;
  if (history) return { kind: 'as-published', effectiveAt };
  if (expiresAt !== null && expiresAt <= now) return { kind: 'expired' };
  if (effectiveAt >= createdAt && effectiveAt < now) return { kind: 'starts-now', effectiveAt: now };
  return { kind: 'as-published', effectiveAt };
}
