import { errors } from 'smpp';
import { SmsSendError, statusName } from './smpp-status';

describe('SmsSendError.fromStatus', () => {
  it.each([
    ['ESME_RTHROTTLED', 0x58],
    ['ESME_RMSGQFUL', 0x14],
    ['ESME_RSYSERR', 0x08],
  ])('takes %s (0x%s) as transient', (name, status) => {
    const error = SmsSendError.fromStatus(status);
    expect(error).toMatchObject({ transient: true, commandStatus: status });
    expect(error.message).toBe(`the SMSC refused the message: ${name}`);
  });

  it.each([
    ['ESME_RINVDSTADR', errors.ESME_RINVDSTADR],
    ['ESME_RINVSRCADR', errors.ESME_RINVSRCADR],
    ['ESME_RINVMSGLEN', errors.ESME_RINVMSGLEN],
    ['an unnamed status', 0x4ff],
  ])('takes %s as permanent', (_, status) => {
    expect(SmsSendError.fromStatus(status)).toMatchObject({ transient: false, commandStatus: status });
  });
});

describe('statusName', () => {
  it('names a known status and shows an unknown one in hex', () => {
    expect(statusName(0x0b)).toBe('ESME_RINVDSTADR');
    expect(statusName(0x4ff)).toBe('0x000004ff');
  });
});
