/**
 * Shares one read among callers, without ever answering a caller with a read sent before it asked. With no
 * read on its way, the read is sent two turns of the event loop later, so every caller of those turns (the
 * requests that arrived together) shares it; a caller that finds a read on its way waits for the next one,
 * sent two turns after that one is done, which serves everyone who asked meanwhile. So each caller still
 * sees every write committed before it asked, and a burst of callers costs one or two reads, not one each.
 */
export function shareFreshReads<T>(read: () => Promise<T>): () => Promise<T> {
  let onItsWay: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const send = (): Promise<T> => {
    next = null;
    const sent = read();
    onItsWay = sent;
    const done = () => {
      if (onItsWay === sent) onItsWay = null;
    };
    sent.then(done, done);
    return sent;
  };
  return () => {
    next ??= (onItsWay ? onItsWay.then(nothing, nothing).then(nextTurn) : nextTurn()).then(send);
    return next;
  };
}

const nothing = (): void => undefined;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Two turns of the event loop: under load each turn reads a batch of requests, so two batches share a read. */
const nextTurn = async (): Promise<void> => {
  await turn();
  await turn();
};
