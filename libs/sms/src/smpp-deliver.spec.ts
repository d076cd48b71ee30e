import { PDU, PduFields } from 'smpp';
import { InboundReassembly, readDeliverSm } from './smpp-deliver';

/** A deliver_sm as it comes off the wire: encoded and decoded by the `smpp` package. */
const received = (fields: PduFields) => new PDU(new PDU('deliver_sm', fields).toBuffer());
const ucs2 = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('readDeliverSm', () => {
  it('reads a delivery receipt from its text', () => {
    const pdu = received({
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(
        'id:ab12 sub:001 dlvrd:001 submit date:2612031200 done date:2612031201 stat:DELIVRD err:000 text:',
      ),
    });
    expect(readDeliverSm(pdu)).toEqual({
      kind: 'receipt',
      receipt: { messageId: 'ab12', delivered: true, final: true, stat: 'DELIVRD', err: '000' },
    });
  });

  it('reads a receipt from the receipted_message_id and message_state TLVs', () => {
    const pdu = received({
      esm_class: 0x04,
      short_message: Buffer.from(''),
      receipted_message_id: 'ab12',
      message_state: 5,
    });
    expect(readDeliverSm(pdu)).toMatchObject({
      kind: 'receipt',
      receipt: { messageId: 'ab12', delivered: false },
    });
  });

  it('reads a message from a phone in GSM 7-bit, with the international number as E.164', () => {
    const pdu = received({
      source_addr_ton: 1,
      source_addr: '77010000001',
      esm_class: 0,
      data_coding: 0,
      short_message: Buffer.from('STOP'),
    });
    expect(readDeliverSm(pdu)).toEqual({ kind: 'message', from: '+77010000001', text: 'STOP' });
  });

  it('reads a message in UCS-2 and the part it is of a concatenated one', () => {
    const pdu = received({
      source_addr_ton: 1,
      source_addr: '77010000001',
      esm_class: 0x40,
      data_coding: 8,
      short_message: Buffer.concat([Buffer.from([5, 0x00, 3, 0x2a, 2, 1]), ucs2('Стоп, ')]),
    });
    expect(readDeliverSm(pdu)).toEqual({
      kind: 'message',
      from: '+77010000001',
      text: 'Стоп, ',
      part: { reference: 0x2a, total: 2, sequence: 1 },
    });
  });

  it('ignores other message types and receipts it cannot read', () => {
    expect(readDeliverSm(received({ esm_class: 0x08, short_message: Buffer.from('ack') }))).toMatchObject({
      kind: 'ignored',
    });
    expect(readDeliverSm(received({ esm_class: 0x04, short_message: Buffer.from('garbage') }))).toMatchObject(
      {
        kind: 'ignored',
      },
    );
  });
});

describe('InboundReassembly', () => {
  it('passes a single message through', () => {
    expect(new InboundReassembly().add({ from: '+7701', text: 'stop' })).toEqual({
      from: '+7701',
      text: 'stop',
    });
  });

  it('joins parts in any order once the last is in, per sender and reference', () => {
    const reassembly = new InboundReassembly();
    const part = (sequence: number, reference = 7) => ({ reference, total: 3, sequence });
    expect(reassembly.add({ from: '+7701', text: 'c', part: part(3) })).toBeNull();
    expect(reassembly.add({ from: '+7702', text: 'X', part: part(1) })).toBeNull();
    expect(reassembly.add({ from: '+7701', text: 'a', part: part(1) })).toBeNull();
    expect(reassembly.add({ from: '+7701', text: 'b', part: part(2) })).toEqual({
      from: '+7701',
      text: 'abc',
    });
  });

  it('drops a message whose parts take longer than the limit', () => {
    let now = 0;
    const reassembly = new InboundReassembly(1000, () => now);
    reassembly.add({ from: '+7701', text: 'a', part: { reference: 1, total: 2, sequence: 1 } });
    now = 2000;
    expect(
      reassembly.add({ from: '+7701', text: 'b', part: { reference: 1, total: 2, sequence: 2 } }),
    ).toBeNull();
  });
});
