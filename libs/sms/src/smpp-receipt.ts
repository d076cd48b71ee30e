import { consts } from 'smpp';

/** What a delivery receipt says about one submitted part. */
export interface SmsReceipt {
  /** The id the SMSC gave in its submit_sm_resp. */
  messageId: string;
  delivered: boolean;
  /** False while the message is still on its way (ENROUTE, ACCEPTD): a later receipt will settle it. */
  final: boolean;
  /** The receipt's state, as the text form names it (DELIVRD, UNDELIV, …). */
  stat: string;
  /** The network's error code from `err:`, when given. */
  err?: string;
}

const FINAL_STATS: Record<string, boolean> = {
  DELIVRD: true,
  UNDELIV: false,
  REJECTD: false,
  EXPIRED: false,
  DELETED: false,
};

/** message_state (SMPP 3.4 §5.2.28) as the text form's stat. */
const STAT_OF_STATE: Record<number, string> = {
  [consts.MESSAGE_STATE.ENROUTE]: 'ENROUTE',
  [consts.MESSAGE_STATE.DELIVERED]: 'DELIVRD',
  [consts.MESSAGE_STATE.EXPIRED]: 'EXPIRED',
  [consts.MESSAGE_STATE.DELETED]: 'DELETED',
  [consts.MESSAGE_STATE.UNDELIVERABLE]: 'UNDELIV',
  [consts.MESSAGE_STATE.ACCEPTED]: 'ACCEPTD',
  [consts.MESSAGE_STATE.UNKNOWN]: 'UNKNOWN',
  [consts.MESSAGE_STATE.REJECTED]: 'REJECTD',
};

/**
 * A receipt from a deliver_sm: the receipted_message_id and message_state TLVs when the SMSC sends them (SMPP 3.4
 * makes them the authority), else the de-facto text `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:…
 * text:…` (Appendix B). Null when neither names a message and a state.
 */
export function parseReceipt(input: {
  text: string;
  receiptedMessageId?: string;
  messageState?: number;
}): SmsReceipt | null {
  // `text:` is last and holds the message's first characters, which may look like fields themselves.
  const head = input.text.split(/(?:^|\s)text:/i)[0];
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(head)?.[1];
  const messageId = input.receiptedMessageId || field('id');
  const stat =
    (input.messageState !== undefined ? STAT_OF_STATE[input.messageState] : undefined) ??
    field('stat')?.toUpperCase();
  if (!messageId || !stat) return null;
  const final = stat in FINAL_STATS;
  const err = field('err');
  return { messageId, delivered: FINAL_STATS[stat] === true, final, stat, ...(err ? { err } : {}) };
}
