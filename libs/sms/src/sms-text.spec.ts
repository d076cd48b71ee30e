import { decodeSmsParts, segmentSms, smsEncodingOf, smsSizeOf } from './sms-text';

describe('smsEncodingOf', () => {
  it.each([
    ['Almaty: level RED', 'gsm7'],
    ['Prix: 5 € {tarif} [x] ~ | ^ \\', 'gsm7'],
    ['Zürich Ñandu ÆØÅ ¿¡', 'gsm7'],
    ['Ñandú (ú is only in the Spanish shift table)', 'ucs2'],
    ['Алматы: КРАСНЫЙ', 'ucs2'],
    ['Qazaqstan: Қызыл', 'ucs2'],
    ['a ✅ tick', 'ucs2'],
    ['an ESC \x1b inside', 'ucs2'],
  ])('%s → %s', (text, encoding) => expect(smsEncodingOf(text)).toBe(encoding));
});

describe('segmentSms', () => {
  it('sends 160 GSM characters as one part without a UDH, 161 as two with one', () => {
    const single = segmentSms('a'.repeat(160), { maxParts: 3 });
    expect(single.parts).toEqual([
      { dataCoding: 0, esmClass: 0, shortMessage: Buffer.from('a'.repeat(160)) },
    ]);
    const two = segmentSms('a'.repeat(161), { maxParts: 3, reference: 42 });
    expect(two.parts.map((p) => [p.esmClass, p.shortMessage.length])).toEqual([
      [0x40, 6 + 153],
      [0x40, 6 + 8],
    ]);
    expect([...two.parts[0].shortMessage.subarray(0, 6)]).toEqual([5, 0, 3, 42, 2, 1]);
    expect([...two.parts[1].shortMessage.subarray(0, 6)]).toEqual([5, 0, 3, 42, 2, 2]);
  });

  it('counts an extension character as two septets and never splits its escape from it', () => {
    expect(smsSizeOf('€'.repeat(80))).toEqual({ encoding: 'gsm7', parts: 1 });
    expect(smsSizeOf('€'.repeat(81))).toEqual({ encoding: 'gsm7', parts: 2 });
    // 152 septets then a € (ESC + e): the escape would be the 153rd octet, so it moves to the next part.
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const { parts } = segmentSms(text, { maxParts: 3 });
    expect(parts[0].shortMessage.length).toBe(6 + 152);
    expect(decodeSmsParts(parts)).toBe(text);
  });

  it('sends 70 UCS-2 characters alone and 67 a part beside a UDH', () => {
    expect(smsSizeOf('Ж'.repeat(70))).toEqual({ encoding: 'ucs2', parts: 1 });
    const { encoding, parts } = segmentSms('Ж'.repeat(71), { maxParts: 3 });
    expect(encoding).toBe('ucs2');
    expect(parts.map((p) => [p.dataCoding, p.shortMessage.length])).toEqual([
      [8, 6 + 134],
      [8, 6 + 8],
    ]);
  });

  it('keeps a surrogate pair in one part', () => {
    const text = `${'Ж'.repeat(66)}🚨 после`;
    const { parts } = segmentSms(text, { maxParts: 3 });
    expect(parts[0].shortMessage.length).toBe(6 + 132);
    expect(decodeSmsParts(parts)).toBe(text);
  });

  it('refuses as permanent a text of more parts than allowed', () => {
    expect(() => segmentSms('a'.repeat(153 * 3 + 1), { maxParts: 3 })).toThrow(
      expect.objectContaining({ transient: false, message: expect.stringContaining('4 SMS parts') }),
    );
    expect(segmentSms('a'.repeat(153 * 3), { maxParts: 3 }).parts).toHaveLength(3);
  });
});

describe('decodeSmsParts', () => {
  it.each([
    ['a Latin alert', 'Almaty: terrorism threat level RED (critical). '.repeat(6).trim()],
    ['a Cyrillic alert', 'Алматы: уровень террористической опасности КРАСНЫЙ. '.repeat(3).trim()],
    ['a text with extension characters', '{[~|€^\\]} '.repeat(20)],
  ])('joins %s back to its text, whatever order the parts arrive in', (_, text) => {
    const { parts } = segmentSms(text, { maxParts: 3 });
    expect(parts.length).toBeGreaterThan(1);
    expect(decodeSmsParts([...parts].reverse())).toBe(text);
  });

  it('reads a 16-bit reference UDH', () => {
    const udh = (seq: number) => Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 2, seq]);
    const parts = [
      { dataCoding: 0, esmClass: 0x40, shortMessage: Buffer.concat([udh(2), Buffer.from(' world')]) },
      { dataCoding: 0, esmClass: 0x40, shortMessage: Buffer.concat([udh(1), Buffer.from('hello')]) },
    ];
    expect(decodeSmsParts(parts)).toBe('hello world');
  });
});
