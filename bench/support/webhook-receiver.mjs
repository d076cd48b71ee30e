// The benchmarks' webhook receiver, run as a process of its own (see peer.mjs). It speaks just enough
// HTTP/1.1 over `net` to answer every POST with 204 on a kept-alive connection, so that the receiver costs
// as little as a receiver can and the figures measure the sender. It stamps each receipt, counts repeats
// per endpoint (`/e/<n>`), and verifies the Standard Webhooks signature of one receipt in `VERIFY_EVERY`.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { serve } from './peer.mjs';
import { endpointSecret } from './secrets.mjs';
import { nowMs, Receipts } from './stats.mjs';

const VERIFY_EVERY = Number(process.env.VERIFY_EVERY || 50);
const ANSWER = Buffer.from(
  'HTTP/1.1 204 No Content\r\nconnection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n',
);
const HEAD_END = Buffer.from('\r\n\r\n');

const receipts = new Receipts();
let verified = 0;
let failed = 0;
let firstFailure = null;
let connections = 0;
let peakConnections = 0;
let connectionsOpened = 0;
let sample = null;

function headersOf(head) {
  const headers = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function receive(head, body) {
  const at = nowMs();
  const path = head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
  const n = path.startsWith('/e/') ? Number(path.slice(3)) : undefined;
  const count = receipts.times.length;
  receipts.record(at, n);
  if (sample === null) sample = { body: body.toString('utf8'), headers: headersOf(head) };
  if (n === undefined || count % VERIFY_EVERY !== 0) return;
  try {
    new Webhook(endpointSecret(n)).verify(body.toString('utf8'), headersOf(head));
    verified++;
  } catch (error) {
    failed++;
    firstFailure ??= `${path}: ${error.message}`;
  }
}

const server = createServer({ noDelay: true }, (socket) => {
  connections++;
  connectionsOpened++;
  peakConnections = Math.max(peakConnections, connections);
  socket.on('close', () => connections--);
  socket.on('error', () => undefined);
  let pending = null;
  socket.on('data', (chunk) => {
    let buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const headEnd = buffer.indexOf(HEAD_END);
      if (headEnd < 0) break;
      const head = buffer.toString('latin1', 0, headEnd);
      if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('the receiver expects content-length bodies');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      const end = headEnd + HEAD_END.length + (length ? Number(length[1]) : 0);
      if (buffer.length < end) break;
      receive(head, buffer.subarray(headEnd + HEAD_END.length, end));
      socket.write(ANSWER);
      buffer = buffer.subarray(end);
    }
    pending = buffer.length ? buffer : null;
  });
});

server.listen(0, '127.0.0.1', () => {
  serve(server.address().port, {
    reset() {
      receipts.reset();
      verified = 0;
      failed = 0;
      firstFailure = null;
      peakConnections = connections;
      connectionsOpened = 0;
    },
    async collect(params) {
      const timing = await receipts.collect(params);
      return {
        ...timing,
        verified,
        failed,
        firstFailure,
        peakConnections,
        connectionsOpened,
        sampleBody: sample?.body ?? null,
        sampleHeaders: sample?.headers ?? null,
      };
    },
  });
});
