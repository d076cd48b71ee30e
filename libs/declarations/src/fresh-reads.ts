/**
 * Shares one read among callers, without ever answering a caller with a read sent before it asked. With no
 * read on its way, the read is sent in the event loop's next turn, so every caller of this turn (the
 * requests that arrived together) shares it; a caller that finds a read on its way waits for the next one,
 * sent in the turn after that one is done, which serves everyone who asked meanwhile. So each caller still
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
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
