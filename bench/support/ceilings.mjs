// The machine's raw ceilings, measured in the same run as the figure they bound: what plain undici, plain
// BullMQ, a plain pooled nodemailer transport and a plain `smpp` client reach against the same peers, with
// none of Tocsin's work.
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes } from 'node:crypto';
import { clearTimeout, setTimeout } from 'node:timers';
import { createTransport } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import { Queue, Worker } from 'bullmq';
import { connect } from 'smpp';
import { Agent, request } from 'undici';
import { deleteQueueKeys, dist, redisConnection, WARM_UP_SHARE } from './app.mjs';
import { endpointSecret } from './secrets.mjs';
import { nowMs, round } from './stats.mjs';

/** Runs `work(i)` for i in 0..n-1 with at most `concurrency` at once. */
export async function loop(n, concurrency, work) {
  let next = 0;
  const runner = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, runner));
}

/** The signing key of endpoint `n`: the bytes its `whsec_` secret encodes. */
export const endpointKey = (n) => Buffer.from(endpointSecret(n).slice('whsec_'.length), 'base64');

/**
 * A Standard Webhooks `v1` signature made with Node's own HMAC: the same bytes `standardwebhooks` makes
 * (the receiver verifies them with that package), at the cost of the cheapest correct signer.
 */
export const signature = (key, id, at, body) =>
  `v1,${createHmac('sha256', key)
    .update(`${id}.${Math.floor(at.getTime() / 1000)}.${body}`)
    .digest('base64')}`;

/** One signed POST of `body` to endpoint `n` of the receiver, with the headers Tocsin sends. */
export async function signedPost(agent, baseUrl, n, body, key = endpointKey(n)) {
  const id = `msg_${n}_${randomBytes(4).toString('hex')}`;
  const at = new Date();
  const response = await request(`${baseUrl}/e/${n}`, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Tocsin-Bench/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature(key, id, at, body),
    },
    body,
  });
  await response.body.dump();
  if (response.statusCode !== 204) throw new Error(`the receiver answered ${response.statusCode}`);
}

/**
 * The webhook ceiling: a plain undici loop POSTing `n` signed copies of `body` (one per endpoint, as the
 * fan-out does) at `concurrency`, timed from the first request to the last receipt.
 */
export async function undiciCeiling({ receiver, n, body, concurrency }) {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const baseUrl = `http://127.0.0.1:${receiver.port}`;
  try {
    // Keys are looked up, not derived, while timing: the app reads its secrets with the delivery rows.
    const keys = Array.from({ length: n }, (_, i) => endpointKey(i + 1));
    await receiver.call('reset');
    const cpu = process.cpuUsage();
    const t0 = nowMs();
    await loop(n, concurrency, (i) => signedPost(agent, baseUrl, i + 1, body, keys[i]));
    const { user, system } = process.cpuUsage(cpu);
    const seen = await receiver.call('collect', { expected: n, t0 });
    return {
      perSecond: Math.round(n / (seen.lastMs / 1000)),
      seconds: round(seen.lastMs / 1000, 3),
      cpuUsPerRequest: Math.round((user + system) / n),
      ...seen,
    };
  } finally {
    await agent.close();
  }
}

/** The concurrencies the webhook ceiling is swept over (DESIGN.md §5.7): the machine's best, not Tocsin's setting. */
export const CEILING_CONCURRENCIES = [50, 100, 200, 400, 800];

/**
 * The webhook ceiling at its best: `undiciCeiling` at each of `concurrencies` in turn, each on a fresh agent.
 * Returns the best run with the whole sweep beside it, so a reader sees how flat or peaked the curve is.
 */
export async function bestUndiciCeiling({ receiver, n, body, concurrencies = CEILING_CONCURRENCIES }) {
  // Unmeasured, so that the sweep's first point is not the one to pay for warming the JIT up.
  await undiciCeiling({ receiver, n: Math.ceil(n * WARM_UP_SHARE), body, concurrency: 100 });
  const sweep = [];
  for (const concurrency of concurrencies) {
    const run = await undiciCeiling({ receiver, n, body, concurrency });
    sweep.push({
      concurrency,
      perSecond: run.perSecond,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      cpuUsPerRequest: run.cpuUsPerRequest,
    });
  }
  const best = sweep.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { ...best, sweep };
}

/**
 * Raw BullMQ: `n` jobs added in bulk, then one worker at `concurrency` runs them, each doing `work(i)`.
 * Jobs/s is counted from the worker's start to its last completion.
 */
export async function bullmqCeiling({ n, concurrency, work = async () => undefined }) {
  const prefix = `tocsin-bench-ceiling-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connection = redisConnection();
  const queue = new Queue('ceiling', { connection, prefix });
  try {
    for (let i = 0; i < n; i += 1000) {
      const size = Math.min(1000, n - i);
      await queue.addBulk(
        Array.from({ length: size }, (_, j) => ({
          name: 'job',
          data: { n: i + j + 1 },
          opts: { removeOnComplete: true, removeOnFail: true },
        })),
      );
    }
    let done = 0;
    let finish;
    let fail;
    const finished = new Promise((resolve, reject) => ((finish = resolve), (fail = reject)));
    const t0 = nowMs();
    const worker = new Worker('ceiling', (job) => work(job.data.n), { connection, prefix, concurrency });
    worker.on('completed', () => {
      if (++done === n) finish(nowMs());
    });
    worker.on('failed', (_job, error) => fail(error));
    const t1 = await finished;
    await worker.close();
    return { perSecond: Math.round(n / ((t1 - t0) / 1000)), concurrency };
  } finally {
    await queue.close();
    await deleteQueueKeys(prefix);
  }
}

/**
 * The email ceiling: `messages` sent straight through one pooled nodemailer transport at `concurrency`,
 * configured with the app's own options for `SMTP_URL` (libs/mail: a pool whose sockets have TCP_NODELAY).
 * With `nagle`, nodemailer's own sockets instead: Nagle's algorithm on, so its small writes wait for the
 * peer's delayed ACK (~40 ms on Linux), which caps each connection near 20 messages a second.
 */
export async function smtpCeiling({ sink, messages, concurrency, nagle = false, maxConnections }) {
  const url = `smtp://127.0.0.1:${sink.port}?pool=true`;
  const { smtpPoolOptions } = dist('libs/mail/src/mail-transport.js');
  const options = nagle ? { ...parseConnectionUrl(url), pool: true } : smtpPoolOptions(url);
  // Unset, the pool keeps the app's own number of connections.
  if (maxConnections !== undefined) options.maxConnections = maxConnections;
  const transport = createTransport(options);
  try {
    await sink.call('reset');
    const t0 = nowMs();
    await loop(messages.length, concurrency, (i) => transport.sendMail(messages[i]));
    const seen = await sink.call('collect', { expected: messages.length, t0 });
    return {
      perSecond: Math.round(messages.length / (seen.lastMs / 1000)),
      seconds: round(seen.lastMs / 1000, 3),
      ...seen,
    };
  } finally {
    transport.close();
  }
}

/**
 * The pool sizes the email ceiling is swept over: in a nodemailer pool a message waits for one of
 * `maxConnections` connections, so that, not the number of sends in flight, is the pool's concurrency.
 */
export const SMTP_CEILING_CONNECTIONS = [5, 10, 20, 50];

/**
 * The email ceiling at its best (DESIGN.md §5.7): `smtpCeiling` on a fresh pool of each size in
 * `connections`, with enough sends in flight to keep every connection busy. Returns the best run with the
 * whole sweep beside it.
 */
export async function bestSmtpCeiling({ sink, messages, connections = SMTP_CEILING_CONNECTIONS }) {
  // Unmeasured, so that the sweep's first point is not the one to pay for warming the JIT up.
  const warmUp = messages.slice(0, Math.ceil(messages.length * WARM_UP_SHARE));
  await smtpCeiling({ sink, messages: warmUp, concurrency: 100 });
  const sweep = [];
  for (const maxConnections of connections) {
    const cpu = process.cpuUsage();
    const run = await smtpCeiling({ sink, messages, concurrency: 4 * maxConnections, maxConnections });
    const { user, system } = process.cpuUsage(cpu);
    sweep.push({
      maxConnections,
      perSecond: run.perSecond,
      seconds: run.seconds,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      clientCpuUsPerEmail: Math.round((user + system) / messages.length),
    });
  }
  const best = sweep.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { ...best, sweep };
}

/**
 * A plain `smpp` client bound as a transceiver to the SMSC peer, its socket with TCP_NODELAY as libs/sms opens
 * it: `bind()` resolves with the session, `close()` unbinds.
 */
export async function smppBind({ port, systemId = 'bench', password = 'secret' }) {
  const session = connect({ host: '127.0.0.1', port });
  session.socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    session.once('error', reject);
    session.once('connect', () =>
      session.bind_transceiver({ system_id: systemId, password }, (resp) => {
        session.off('error', reject);
        if (resp.command_status === 0) resolve();
        else reject(new Error(`bind_transceiver answered ${resp.command_status}`));
      }),
    );
  });
  session.on('error', () => undefined);
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  return {
    session,
    close: () =>
      new Promise((resolve) => {
        const cutOff = setTimeout(() => session.destroy(), 1000);
        session.socket.once('close', () => {
          clearTimeout(cutOff);
          resolve();
        });
        if (!session.unbind(() => session.close())) session.destroy();
      }),
  };
}

/**
 * The SMS ceiling: `submits` (submit_sm fields, every part of every text in order) sent on one transceiver
 * bind with at most `window` awaiting their submit_sm_resp, timed from the first submit to the last text
 * whole at the SMSC (`texts` of them).
 */
export async function smppCeiling({ smsc, submits, texts, window }) {
  const { session, close } = await smppBind({ port: smsc.port });
  try {
    await smsc.call('reset');
    const cpu = process.cpuUsage();
    const t0 = nowMs();
    await new Promise((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let answered = 0;
      const pump = () => {
        while (inFlight < window && next < submits.length) {
          inFlight++;
          // A fresh object per submit, as the app builds one per part.
          const sent = session.submit_sm({ ...submits[next++] }, (resp) => {
            inFlight--;
            if (resp.command_status !== 0)
              return reject(new Error(`submit_sm answered ${resp.command_status}`));
            if (++answered === submits.length) resolve();
            else pump();
          });
          if (!sent) return reject(new Error('the SMPP connection is not writable'));
        }
      };
      pump();
    });
    const { user, system } = process.cpuUsage(cpu);
    const seen = await smsc.call('collect', { expected: texts, t0 });
    if (!seen.complete) throw new Error(`only ${seen.count} of ${texts} texts reached the SMSC`);
    return {
      perSecond: Math.round(texts / (seen.lastMs / 1000)),
      seconds: round(seen.lastMs / 1000, 3),
      cpuUsPerText: Math.round((user + system) / texts),
      ...seen,
    };
  } finally {
    await close();
  }
}

/** The windows the SMS ceiling is swept over (DESIGN.md §5.7): the machine's best, whatever SMPP_WINDOW is. */
export const SMPP_CEILING_WINDOWS = [1, 5, 10, 25, 50, 100, 200, 400];

/** The SMS ceiling at its best: `smppCeiling` on a fresh bind at each window, the best run and the sweep. */
export async function bestSmppCeiling({ smsc, submits, texts, windows = SMPP_CEILING_WINDOWS }) {
  const sweep = [];
  for (const window of windows) {
    const run = await smppCeiling({ smsc, submits, texts, window });
    sweep.push({
      window,
      perSecond: run.perSecond,
      seconds: run.seconds,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      clientCpuUsPerText: run.cpuUsPerText,
    });
  }
  const best = sweep.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { ...best, sweep };
}
