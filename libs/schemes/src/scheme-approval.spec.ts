import { approvalProblem } from './scheme-approval';

const levels = [{ rank: 1 }, { rank: 2 }, { rank: 3 }];

describe('approvalProblem', () => {
  it.each([null, undefined])('accepts no approval (%s)', (approval) => {
    expect(approvalProblem(approval, levels)).toBeNull();
  });

  it.each([1, 2, 3])('accepts minRank %d, one of the ranks', (minRank) => {
    expect(approvalProblem({ minRank }, levels)).toBeNull();
  });

  it.each([0, 4, 2.5, -1, Number.NaN])('refuses minRank %d, naming the ranks', (minRank) => {
    expect(approvalProblem({ minRank }, levels)).toBe(
      "approval.minRank must be one of the scheme's ranks (1, 2, 3).",
    );
  });
});
