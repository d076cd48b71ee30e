/**
 * Shares one read among callers that ask while it is being made, without ever answering a caller with a read
 * sent before it asked: a caller that finds a read on its way waits for the next one, which starts as soon as
 * that one is done and serves everyone who asked meanwhile. So each caller still sees every write committed
 * before it asked, and a burst of callers costs two reads, not one each.
 */
export function shareFreshReads<T>(read: () => Promise<T>): () => Promise<T> {
  let onItsWay: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const send = (): Promise<T> => {
    const sent = read();
    onItsWay = sent;
    const done = () => {
      if (onItsWay === sent) onItsWay = null;
    };
    sent.then(done, done);
    return sent;
  };
  return () => {
    if (!onItsWay) return send();
    next ??= onItsWay
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null;
        return send();
      });
    return next;
  };
}
