// Email fan-out: N confirmed email subscribers, a local SMTP sink (a process of its own), one declaration
// they all match, timed from `POST /v1/declarations` to the last message received. The ceiling: the same
// messages (rendered beforehand by the app's own alertEmail) sent straight through a pooled nodemailer
// transport with TCP_NODELAY sockets as libs/mail opens them, at its best over a sweep of pool sizes. Each
// side is timed warm: the app after an unmeasured fan-out to a tenth as many subscribers of another
// country, the ceiling after sending a tenth of the messages unmeasured.
import { fileURLToPath, URL } from 'node:url';
import {
  advisoryDeclaration,
  almatyDeclaration,
  dist,
  startTocsin,
  WARM_UP_COUNTRY,
  WARM_UP_SHARE,
} from './support/app.mjs';
import { bestSmtpCeiling, smtpCeiling } from './support/ceilings.mjs';
import { cpuAccount } from './support/machine.mjs';
import { startPeer } from './support/peer.mjs';
import { ratio, round } from './support/stats.mjs';
import { APP_CONCURRENCY, fanOut } from './webhook-fanout.mjs';

export const name = 'email-fanout';
export const sizes = { tiny: 50, quick: 5_000, full: 20_000 };
export const target = 0.85;

const SINK = fileURLToPath(new URL('./support/smtp-sink.mjs', import.meta.url));
const MAIL_FROM = 'Tocsin <alerts@tocsin.invalid>';

/** `count` confirmed subscribers `reader<first>@bench.example` … for `country`. */
const seedSubscriberGroup = async (query, country, first, count) =>
  query(
    `insert into email_subscriptions (id, email, areas, status, token_version, created_at, updated_at, confirmed_at)
     select 'sub_' || gen_random_uuid(), 'reader' || g || '@bench.example', array[$1::text], 'confirmed', 1,
            now(), now(), now()
     from generate_series($2::int, $2::int + $3::int - 1) g`,
    [country, first, count],
  );

/** N confirmed subscribers `reader1@bench.example` … for Kazakhstan, and `warmUp` more for the warm-up country. */
const seedSubscribers = (n, warmUp) => async (query) => {
  await seedSubscriberGroup(query, 'KZ', 1, n);
  await seedSubscriberGroup(query, WARM_UP_COUNTRY, n + 1, warmUp);
  await query('analyze email_subscriptions, email_subscription_area_keys');
};

/** The messages the app sent, rendered again with its own code, one per subscriber. */
async function sameMessages(app, n) {
  const { alertEmail } = dist('libs/delivery/src/alert-email.js');
  const { makeLinkToken } = dist('libs/subscribers/src/link-token.js');
  const [{ event_id: eventId, payload }] = await app.query(
    `select event_id, payload from outbox where payload is not null order by position desc limit 1`,
  );
  const subscriptions = await app.query(
    `select id, email from email_subscriptions where areas = '{KZ}' order by id`,
  );
  const deliveries = await app.query(
    `select id from deliveries where channel = 'email' and event_id = $1 order by id`,
    [eventId],
  );
  const link = (purpose, id) =>
    `${app.url}/v1/email-subscriptions/${purpose}?token=${makeLinkToken('bench-secret', purpose, id, 1)}`;
  return subscriptions.slice(0, n).map(({ id, email }, i) => ({
    from: MAIL_FROM,
    to: email,
    ...alertEmail({
      event: payload,
      changes: payload.data.changes,
      schemeEvent: 'terrorism threat level',
      deliveryId: deliveries[i]?.id ?? `dlv_${i}`,
      subscriptionId: id,
      publicUrl: app.url,
      manageUrl: link('manage', id),
      unsubscribeUrl: link('unsubscribe', id),
      messageIdHost: '127.0.0.1',
    }),
  }));
}

export async function run({ n, execArgv = [] }) {
  const sink = await startPeer(SINK);
  let app = null;
  try {
    const warmUp = Math.ceil(n * WARM_UP_SHARE);
    app = await startTocsin({
      driver: 'postgres',
      seed: seedSubscribers(n, warmUp),
      env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM },
      execArgv,
    });
    const sinkFanOut = (count, declaration) =>
      fanOut({ app, peer: sink, peerName: 'sink', msPerDelivery: 20, n: count, declaration });
    await sinkFanOut(warmUp, advisoryDeclaration(WARM_UP_COUNTRY));
    const { seen, rss, othersCpuPercent, cpuUsPerDelivery } = await sinkFanOut(n, almatyDeclaration());
    const messages = await sameMessages(app, n);
    await app.close();
    app = null;

    const ceilingCpu = await cpuAccount({ client: () => [process.pid], sink: () => [sink.pid] });
    const ceiling = await bestSmtpCeiling({ sink, messages });
    const ceilingUsage = await ceilingCpu.stop(n);
    const nagle = await smtpCeiling({ sink, messages, concurrency: APP_CONCURRENCY, nagle: true });
    const perSecond = Math.round(n / (seen.lastMs / 1000));
    return {
      database: 'postgres',
      sizes: { subscribers: n },
      seconds: round(seen.lastMs / 1000, 3),
      emailsPerSecond: perSecond,
      ceilingPerSecond: ceiling.perSecond,
      ratio: ratio(perSecond, ceiling.perSecond),
      target,
      receipt: { firstMs: seen.firstMs, p50Ms: seen.p50Ms, p99Ms: seen.p99Ms, lastMs: seen.lastMs },
      ceiling: {
        what: 'the best of a sweep of pool sizes (maxConnections), TCP_NODELAY sockets as the app opens them',
        maxConnections: ceiling.maxConnections,
        seconds: ceiling.seconds,
        cpuUsPerEmail: ceilingUsage.usPer,
        sweep: ceiling.sweep,
      },
      // For context: the app's pool size with nodemailer's own sockets, Nagle's algorithm on (see smtpCeiling).
      nagleCeilingPerSecond: nagle.perSecond,
      messageBytes: seen.messageBytes,
      duplicates: seen.duplicates,
      workerPeakRssMb: rss.vmHwmMb,
      cpuUsPerEmail: cpuUsPerDelivery,
      othersCpuPercent: { tocsin: othersCpuPercent, ceiling: ceilingUsage.othersPercent },
    };
  } finally {
    await app?.close();
    await sink.stop();
  }
}
