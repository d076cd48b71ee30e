import { shareFreshReads } from './fresh-reads';

/** A read the test finishes by hand, counting how many were sent. */
function manualReads() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  let sent = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      sent += 1;
      pending.push({ resolve, reject });
    });
  return { read, sent: () => sent, pending };
}
/** Enough turns of the event loop for a read that waits two turns after the one it was asked or freed in. */
const settle = async () => {
  for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('shareFreshReads', () => {
  it('sends one read in the next turn for every caller of this turn when none is on its way', async () => {
    const reads = manualReads();
    const revision = shareFreshReads(reads.read);
    const answers = [revision(), revision()];
    expect(reads.sent()).toBe(0);
    await settle();
    expect(reads.sent()).toBe(1);
    reads.pending[0].resolve(7);
    expect(await Promise.all(answers)).toEqual([7, 7]);
  });

  it('answers callers who ask while a read is on its way with the next read, one for all of them', async () => {
    const reads = manualReads();
    const revision = shareFreshReads(reads.read);
    const first = revision();
    await settle();
    const second = revision();
    const third = revision();
    expect(reads.sent()).toBe(1);
    reads.pending[0].resolve(7);
    await settle();
    expect(reads.sent()).toBe(2);
    reads.pending[1].resolve(8);
    expect(await Promise.all([first, second, third])).toEqual([7, 8, 8]);
  });

  it('sends afresh once every read is done', async () => {
    const reads = manualReads();
    const revision = shareFreshReads(reads.read);
    const first = revision();
    await settle();
    reads.pending[0].resolve(7);
    await first;
    const later = revision();
    await settle();
    expect(reads.sent()).toBe(2);
    reads.pending[1].resolve(9);
    expect(await later).toBe(9);
  });

  it('fails only the callers of a failed read, and still sends the next one after it', async () => {
    const reads = manualReads();
    const revision = shareFreshReads(reads.read);
    const first = revision();
    await settle();
    const waiting = revision();
    reads.pending[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settle();
    reads.pending[1].resolve(8);
    expect(await waiting).toBe(8);
  });
});
