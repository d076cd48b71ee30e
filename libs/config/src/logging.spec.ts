import { DrizzleQueryError } from 'drizzle-orm';
import { describeError, describeErrorStack, logsArePretty } from './logging';

// Real failing queries on PostgreSQL and PGlite: libs/database/src/query-errors.int-spec.ts.
describe('describeError', () => {
  it('says what kept a query from the server, and never its parameters', () => {
    const error = new DrizzleQueryError(
      'select * from email_subscriptions\n  where email = $1',
      ['private.person@ngo.example'],
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    );
    expect(describeError(error)).toBe(
      'query failed (connect ECONNREFUSED 127.0.0.1:5432): select * from email_subscriptions where email = $1',
    );
    expect(describeErrorStack(error)).not.toContain('private.person');
  });

  it('cuts the parameters from a message built around a failed query’s', () => {
    const wrapped = new Error('cannot open the database: Failed query: select $1\nparams: whsec_abc');
    expect(describeError(wrapped)).toBe('cannot open the database: Failed query: select $1');
  });

  it('shows a long statement only in part', () => {
    const error = new DrizzleQueryError(`insert into t values ${'($1), '.repeat(500)}`, [], undefined);
    expect(describeError(error)).toHaveLength('query failed: '.length + 1000 + 1);
  });

  it('keeps other errors as they are', () => {
    expect(describeError(new Error('cannot reach Redis at redis://127.0.0.1:1: ECONNREFUSED'))).toBe(
      'cannot reach Redis at redis://127.0.0.1:1: ECONNREFUSED',
    );
    expect(describeError('a string')).toBe('a string');
  });
});

describe('logsArePretty', () => {
  it('writes lines for a person at a terminal and JSON for everything else, unless told', () => {
    expect(logsArePretty('auto', true)).toBe(true);
    expect(logsArePretty('auto', false)).toBe(false);
    expect(logsArePretty('json', true)).toBe(false);
    expect(logsArePretty('pretty', false)).toBe(true);
  });
});
