import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DrizzleQueryError } from 'drizzle-orm';
import type { Params } from 'nestjs-pino';
import type { DestinationStream, LogFn } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import pinoPretty from 'pino-pretty';
import { AppConfig } from './config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's `x-request-id` when it is sane, else makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The HTTP server sets the id first (see createHttpApp); the log line reuses it. */
const loggedRequestId = (req: IncomingMessage & { id?: unknown }, _res: ServerResponse): string =>
  typeof req.id === 'string' ? req.id : requestIdOf(req);

/** Query parameters whose values are secrets (confirmation and unsubscribe tokens). */
const SECRET_QUERY = /([?&](?:token|key|secret)=)[^&]*/gi;

/** People at a terminal read lines; anything else (a file, journald, a log shipper) gets JSON. */
export function logsArePretty(format: AppConfig['logFormat'], stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/**
 * pino-pretty in this thread and synchronous, as pino's own stdout is: a line is written before the next
 * statement runs, so the last words of a crash are not lost in a transport thread.
 */
function prettyStdout(): DestinationStream {
  return pinoPretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req.id',
    singleLine: true,
  });
}

export function loggerParams(config: AppConfig): Params {
  const options = loggerOptions(config);
  return {
    pinoHttp: logsArePretty(config.logFormat, Boolean(process.stdout.isTTY))
      ? [options, prettyStdout()]
      : options,
  };
}

function loggerOptions(config: AppConfig): HttpLoggerOptions {
  return {
    level: config.logLevel,
    genReqId: loggedRequestId,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        '*.secret',
        '*.key',
        '*.password',
        '*.token',
        '*.email',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: serializeError,
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url?.replace(SECRET_QUERY, '$1[redacted]'),
      }),
    },
    hooks: { logMethod: describeLoggedError },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
}

/** What a pg or PGlite error carries beside its message: names, never values. */
interface DriverError extends Error {
  code: string;
  severity: string;
  constraint?: string;
}

const isDriverError = (error: unknown): error is DriverError =>
  error instanceof Error &&
  typeof (error as Partial<DriverError>).code === 'string' &&
  /^[0-9A-Z]{5}$/.test((error as DriverError).code) &&
  typeof (error as Partial<DriverError>).severity === 'string';

/** SQLSTATE classes whose messages speak of the server (connection, login, resources), not of the data. */
const SERVER_STATE_CLASSES = new Set(['08', '28', '3D', '53', '57', '58']);
const STATEMENT_SHOWN = 1000;

const driverCode = (error: unknown): string =>
  isDriverError(error)
    ? ` (SQLSTATE ${error.code}${error.constraint ? `, constraint ${error.constraint}` : ''})`
    : '';

/** Why a query failed: the driver's code, or what kept it from the server (`connect ECONNREFUSED …`). */
const causeOfFailedQuery = (cause: unknown): string =>
  isDriverError(cause) || !(cause instanceof Error)
    ? driverCode(cause)
    : ` (${cause.message.split('\n')[0]})`;

/**
 * An error as a log line (or anything kept, such as a failed job's reason) may show it. A failed query is its
 * SQLSTATE, constraint and statement text only: Drizzle's message lists the parameters (addresses,
 * secrets), and the driver's message or detail may quote one (`invalid input syntax for type uuid: "…"`).
 */
export function describeError(error: unknown): string {
  if (error instanceof DrizzleQueryError) {
    const statement = error.query.replace(/\s+/g, ' ').trim();
    const shown = statement.length > STATEMENT_SHOWN ? `${statement.slice(0, STATEMENT_SHOWN)}…` : statement;
    return `query failed${causeOfFailedQuery(error.cause)}: ${shown}`;
  }
  if (isDriverError(error))
    return SERVER_STATE_CLASSES.has(error.code.slice(0, 2))
      ? `database error (SQLSTATE ${error.code}): ${error.message}`
      : `database error${driverCode(error)}`;
  // A message built around a failed query's ("…: Failed query: …\nparams: …") loses its parameters too.
  if (error instanceof Error) return error.message.replace(/\nparams: [\s\S]*$/, '');
  return String(error);
}

/** A stack to log or keep: the description and the frames, not the message the stack starts with. */
export function describeErrorStack(error: unknown): string {
  const frames =
    error instanceof Error ? (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)) : [];
  return [describeError(error), ...frames].join('\n');
}

/** pino's `err` (after pino-http's standard serializer, which keeps the raw error): no parameters, no values. */
function serializeError(serialized: { raw?: unknown; type?: string }): Record<string, unknown> {
  const error = serialized.raw ?? serialized;
  const code = codeOf(error instanceof DrizzleQueryError ? error.cause : error);
  return {
    type: serialized.type ?? (error instanceof Error ? error.constructor.name : typeof error),
    message: describeError(error),
    ...(code ? { code } : {}),
    stack: describeErrorStack(error),
  };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** pino makes a logged error's own message the line's `msg` when none is given: give the description. */
function describeLoggedError(this: unknown, args: Parameters<LogFn>, method: LogFn): void {
  const [first, message] = args as unknown[];
  const error = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
  if (error instanceof Error && typeof message !== 'string') {
    const merged = first instanceof Error ? { err: first } : (first as object);
    return method.call(this, merged, describeError(error));
  }
  return method.apply(this, args);
}
