// The benchmarks' SMSC, run as a process of its own (see peer.mjs): a real SMPP 3.4 server on the `smpp`
// package that binds any transceiver (whatever its system_id and password), answers enquire_link and
// answers every submit_sm at once with a fresh message id. No delivery receipts: the figure is the time to
// the last submit, and receipts would only add work to whichever side gets them. A text counts as arrived
// with its last part (parts are told apart by their concatenation UDH); repeats are counted per phone
// `+7701<n>`, the number's last seven digits.
import { createServer } from 'smpp';
import { serve } from './peer.mjs';
import { nowMs, Receipts } from './stats.mjs';

const receipts = new Receipts();
/** Parts seen per phone number, to tell when a text is whole. */
let partsSeen = new Uint16Array(1024);
let submits = 0;
let nextMessageId = 1;
/** The first text that arrived, as decoded parts in order: the benchmark checks it against its own. */
let sample = null;
let samplePhone = null;
let sampleParts = [];

/** Total parts and this part's number from a concatenation UDH (8- or 16-bit reference), else one of one. */
function partOf(shortMessage) {
  for (const ie of shortMessage?.udh ?? []) {
    if (ie[0] === 0x00 && ie[1] === 3) return { total: ie[3], sequence: ie[4] };
    if (ie[0] === 0x08 && ie[1] === 4) return { total: ie[4], sequence: ie[5] };
  }
  return { total: 1, sequence: 1 };
}

function received(pdu) {
  const at = nowMs();
  submits++;
  const phone = pdu.destination_addr ?? '';
  const key = Number(phone.slice(-7));
  const { total, sequence } = partOf(pdu.short_message);
  if (samplePhone === null) samplePhone = phone;
  if (phone === samplePhone && sample === null) {
    sampleParts[sequence - 1] = pdu.short_message?.message ?? '';
    if (sampleParts.filter((p) => p !== undefined).length === total)
      sample = {
        phone,
        parts: total,
        dataCoding: pdu.data_coding,
        source: pdu.source_addr,
        registeredDelivery: pdu.registered_delivery,
        text: sampleParts.join(''),
      };
  }
  if (key >= partsSeen.length) {
    const grown = new Uint16Array(Math.max(key + 1, partsSeen.length * 2));
    grown.set(partsSeen);
    partsSeen = grown;
  }
  if (++partsSeen[key] % total === 0) receipts.record(at, key);
}

const server = createServer((session) => {
  session.socket.setNoDelay(true);
  session.on('error', () => undefined);
  session.on('bind_transceiver', (pdu) => session.send(pdu.response({ system_id: 'bench-smsc' })));
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => session.send(pdu.response(), () => session.close()));
  session.on('submit_sm', (pdu) => {
    received(pdu);
    session.send(pdu.response({ message_id: (nextMessageId++).toString(16) }));
  });
});

server.listen(0, '127.0.0.1', () => {
  serve(server.address().port, {
    reset() {
      receipts.reset();
      partsSeen = new Uint16Array(1024);
      submits = 0;
      sample = null;
      samplePhone = null;
      sampleParts = [];
    },
    async collect(params) {
      return { ...(await receipts.collect(params)), submits, sample };
    },
  });
});
