// SMS fan-out: N confirmed SMS subscribers, a local SMSC (a process of its own), one declaration they all
// match, timed from `POST /v1/declarations` to the last submit_sm of the last text at the SMSC. The
// ceiling: the same texts (rendered by the app's own alertSms and cut by its own segmentSms, so the same
// bytes) submitted by a plain `smpp` client on one transceiver bind with a window of outstanding submits,
// at its best over a sweep of windows (DESIGN.md §5.7), not at the app's SMPP_WINDOW.
import { fileURLToPath, URL } from 'node:url';
import smpp from 'smpp';
import {
  almatyDeclaration,
  declare,
  dist,
  sampleMemory,
  startTocsin,
  untilAllRecorded,
} from './support/app.mjs';
import { bestSmppCeiling, smppCeiling } from './support/ceilings.mjs';
import { cpuAccount } from './support/machine.mjs';
import { startPeer } from './support/peer.mjs';
import { nowMs, ratio, round } from './support/stats.mjs';

export const name = 'sms-fanout';
export const sizes = { tiny: 50, quick: 5_000, full: 20_000 };
export const target = 0.7;
/** The app's SMPP_WINDOW here: where the ceiling's sweep peaks on this machine (it is the app's to choose). */
export const APP_SMPP_WINDOW = 100;

const { consts } = smpp;
const SMSC = fileURLToPath(new URL('./support/smsc.mjs', import.meta.url));
const SMS_FROM = 'Tocsin';
const PUBLIC_URL = 'https://tocsin.example';

/** N confirmed subscribers `+77010000001` … for Kazakhstan, in English. */
const seedSubscribers = (n) => async (query) => {
  await query(
    `insert into sms_subscriptions (id, phone, areas, status, language, created_at, updated_at, confirmed_at)
     select 'sms_' || gen_random_uuid(), '+7701' || lpad(g::text, 7, '0'), '{KZ}', 'confirmed', 'en', now(), now(), now()
     from generate_series(1, $1::int) g`,
    [n],
  );
  await query('analyze sms_subscriptions, sms_subscription_area_keys');
};

/**
 * The texts the app sent, rendered again with its own code, as the submit_sm fields of every part of every
 * text in order (as libs/sms builds them), and the text of one phone to check against what the SMSC got.
 */
async function sameSubmits(app, n) {
  const { alertSms } = dist('libs/delivery/src/alert-sms.js');
  const { segmentSms } = dist('libs/sms/src/sms-text.js');
  const { sourceAddress, SMS_MAX_PARTS } = dist('libs/sms/src/sms-transport.js');
  const { BUILTIN_SCHEMES } = dist('libs/schemes/src/builtin-schemes.js');
  const [{ payload }] = await app.query(`select payload from outbox where payload is not null limit 1`);
  const subscriptions = await app.query(`select phone, language from sms_subscriptions order by phone`);
  const scheme = BUILTIN_SCHEMES.find((s) => s.id === payload.data.declaration.scheme);
  const textOf = (language) =>
    alertSms({
      event: payload,
      changes: payload.data.changes,
      scheme,
      language,
      fallbackLanguage: 'en',
      publicUrl: PUBLIC_URL,
    });
  const texts = new Map();
  const submits = [];
  let encoding = null;
  let parts = 0;
  for (const { phone, language } of subscriptions.slice(0, n)) {
    if (!texts.has(language)) texts.set(language, textOf(language));
    const segmented = segmentSms(texts.get(language), { maxParts: SMS_MAX_PARTS });
    encoding = segmented.encoding;
    parts = segmented.parts.length;
    for (const part of segmented.parts)
      submits.push({
        ...sourceAddress(SMS_FROM),
        destination_addr: phone.slice(1),
        dest_addr_ton: consts.TON.INTERNATIONAL,
        dest_addr_npi: consts.NPI.ISDN,
        registered_delivery: consts.REGISTERED_DELIVERY.FINAL,
        data_coding: part.dataCoding,
        esm_class: part.esmClass,
        short_message: part.shortMessage,
      });
  }
  return { submits, textOf, encoding, parts };
}

export async function run({ n, execArgv = [] }) {
  const smsc = await startPeer(SMSC);
  let app = null;
  try {
    app = await startTocsin({
      driver: 'postgres',
      seed: seedSubscribers(n),
      env: {
        SMPP_URL: `smpp://bench:secret@127.0.0.1:${smsc.port}`,
        SMS_FROM,
        SMPP_WINDOW: String(APP_SMPP_WINDOW),
        PUBLIC_URL,
      },
      execArgv,
    });
    await smsc.call('reset');
    const memory = sampleMemory(app.delivererPid);
    const cpu = await cpuAccount({ ...app.cpuGroups, smsc: () => [smsc.pid] });
    const t0 = nowMs();
    await declare(app.url, almatyDeclaration());
    const seen = await smsc.call('collect', { expected: n, t0, timeoutMs: Math.max(60_000, n * 20) });
    const usage = await cpu.stop(n);
    const rss = memory.stop();
    if (!seen.complete) throw new Error(`only ${seen.count} of ${n} texts reached the SMSC`);
    await untilAllRecorded(app.url);
    // Asked again once all is written back, so that a text sent again after the last one counts too.
    const { duplicates } = await smsc.call('collect', { expected: n, t0 });
    const { submits, textOf, encoding, parts } = await sameSubmits(app, n);
    await app.close();
    app = null;
    // The ceiling must submit what the app did, or it measures other work.
    const expected = textOf('en');
    if (seen.sample?.text !== expected)
      throw new Error(
        `the SMSC got ${JSON.stringify(seen.sample?.text)} from the app, the ceiling would send ${JSON.stringify(expected)}`,
      );

    const ceiling = await bestSmppCeiling({ smsc, submits, texts: n });
    // The CPU the best window costs, measured on a run of its own so the sweep does not blur it.
    const ceilingCpu = await cpuAccount({ client: () => [process.pid], smsc: () => [smsc.pid] });
    await smppCeiling({ smsc, submits, texts: n, window: ceiling.window });
    const ceilingUsage = await ceilingCpu.stop(n);

    const perSecond = Math.round(n / (seen.lastMs / 1000));
    return {
      database: 'postgres',
      sizes: { subscribers: n },
      seconds: round(seen.lastMs / 1000, 3),
      deliveriesPerSecond: perSecond,
      ceilingPerSecond: ceiling.perSecond,
      ratio: ratio(perSecond, ceiling.perSecond),
      target,
      receipt: { firstMs: seen.firstMs, p50Ms: seen.p50Ms, p99Ms: seen.p99Ms, lastMs: seen.lastMs },
      smppWindow: APP_SMPP_WINDOW,
      text: { parts, encoding, characters: expected.length },
      submits: seen.submits,
      ceiling: {
        what: 'a plain smpp client, one transceiver bind, TCP_NODELAY, the best of a sweep of windows',
        window: ceiling.window,
        seconds: ceiling.seconds,
        p50Ms: ceiling.p50Ms,
        p99Ms: ceiling.p99Ms,
        cpuUsPerText: ceilingUsage.usPer,
        sweep: ceiling.sweep,
      },
      duplicates,
      workerPeakRssMb: rss.vmHwmMb,
      cpuUsPerDelivery: usage.usPer,
      othersCpuPercent: { tocsin: usage.othersPercent, ceiling: ceilingUsage.othersPercent },
    };
  } finally {
    await app?.close();
    await smsc.stop();
  }
}
