// The benchmarks' SMTP sink, run as a process of its own (see peer.mjs): a real SMTP server
// (`smtp-server`) that accepts every message, reads it to the end without parsing it, and stamps its
// arrival. Repeats are counted per recipient `reader<n>@…`.
import { SMTPServer } from 'smtp-server';
import { serve } from './peer.mjs';
import { nowMs, Receipts } from './stats.mjs';

const receipts = new Receipts();
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 1000,
  onData(stream, session, done) {
    let size = 0;
    stream.on('data', (chunk) => (size += chunk.length));
    stream.on('end', () => {
      bytes = size;
      const to = session.envelope.rcptTo[0]?.address ?? '';
      const n = /^reader(\d+)@/.exec(to);
      receipts.record(nowMs(), n ? Number(n[1]) : undefined);
      done();
    });
  },
});

// Answers go out at once: with Nagle's algorithm against the client's delayed ACKs, each SMTP reply
// would wait ~40 ms and cap a connection near 20 messages a second.
server.server.on('connection', (socket) => socket.setNoDelay(true));

server.listen(0, '127.0.0.1', () => {
  serve(server.server.address().port, {
    reset: () => receipts.reset(),
    async collect(params) {
      return { ...(await receipts.collect(params)), messageBytes: bytes };
    },
  });
});
