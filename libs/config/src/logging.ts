import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from './config';
import type { Params } from 'nestjs-pino';

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

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
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
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.replace(SECRET_QUERY, '$1[redacted]'),
        }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
