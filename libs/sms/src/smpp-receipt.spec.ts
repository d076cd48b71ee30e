import { parseReceipt } from './smpp-receipt';

const text = (id: string, stat: string, err = '000') =>
  `id:${id} sub:001 dlvrd:001 submit date:2612031141 done date:2612031142 stat:${stat} err:${err} text:Almaty: level`;

describe('parseReceipt', () => {
  it('reads a delivered receipt from the text form', () => {
    expect(parseReceipt({ text: text('7f3a01', 'DELIVRD') })).toEqual({
      messageId: '7f3a01',
      delivered: true,
      final: true,
      stat: 'DELIVRD',
      err: '000',
    });
  });

  it.each(['UNDELIV', 'REJECTD', 'EXPIRED', 'DELETED'])('takes %s as failed and final', (stat) => {
    expect(parseReceipt({ text: text('42', stat, '017') })).toEqual({
      messageId: '42',
      delivered: false,
      final: true,
      stat,
      err: '017',
    });
  });

  it.each(['ENROUTE', 'ACCEPTD', 'UNKNOWN'])('takes %s as not final', (stat) => {
    expect(parseReceipt({ text: text('42', stat) })).toMatchObject({ delivered: false, final: false, stat });
  });

  it('reads fields in any case and order, and a stat in lower case', () => {
    expect(parseReceipt({ text: 'STAT:delivrd ID:abc err:0 Text:x' })).toMatchObject({
      messageId: 'abc',
      delivered: true,
      stat: 'DELIVRD',
    });
  });

  it('does not take "submit date" or the quoted text for a field', () => {
    expect(parseReceipt({ text: 'id:real sub:001 stat:DELIVRD text:id:fake stat:UNDELIV' })).toMatchObject({
      messageId: 'real',
      stat: 'DELIVRD',
    });
    expect(parseReceipt({ text: 'sub:001 stat:DELIVRD text:id:fake' })).toBeNull();
    expect(parseReceipt({ text: 'submit date:2612031141 id:9 stat:UNDELIV' })?.messageId).toBe('9');
  });

  it('prefers the receipted_message_id and message_state TLVs to the text', () => {
    expect(
      parseReceipt({ text: text('from-text', 'DELIVRD'), receiptedMessageId: 'from-tlv', messageState: 5 }),
    ).toMatchObject({ messageId: 'from-tlv', delivered: false, final: true, stat: 'UNDELIV' });
    expect(parseReceipt({ text: '', receiptedMessageId: 'x', messageState: 2 })).toMatchObject({
      messageId: 'x',
      delivered: true,
      final: true,
    });
  });

  it('is null for a text that is no receipt', () => {
    expect(parseReceipt({ text: 'stop' })).toBeNull();
    expect(parseReceipt({ text: 'id:1 and nothing else' })).toBeNull();
  });
});
