import { OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { describeError, describeErrorStack } from '@tocsin/config';
import type { FastifyReply } from 'fastify';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json; charset=utf-8';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** Raised by validation with one entry per bad field. */
export class ValidationProblem extends HttpException {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(
      `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
      HttpStatus.BAD_REQUEST,
    );
  }
}

const TYPE_BASE = 'https://tocsin.dev/problems/';
const SERVER_ERROR_DETAIL = 'Something went wrong on our side; it has been logged.';
// Fastify's own errors (body parsing, limits) carry a code and a status code.
interface FastifyError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Every error leaves as `application/problem+json`; a 5xx never reveals its cause to the client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) this.logger.error(describeError(exception), describeErrorStack(exception));
    // An exception may say when to come back (a 429 or 503 of a full resource).
    const retryAfterSeconds = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfterSeconds === 'number') void reply.header('retry-after', String(retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_MEDIA_TYPE).send(problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ValidationProblem) {
      return {
        ...problemFor(HttpStatus.BAD_REQUEST, exception.message),
        type: `${TYPE_BASE}validation`,
        errors: exception.errors,
      };
    }
    const fastifyError = exception as FastifyError;
    if (fastifyError?.code?.startsWith('FST_') && fastifyError.statusCode && fastifyError.statusCode < 500) {
      return problemFor(fastifyError.statusCode, fastifyDetail(fastifyError));
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const detail =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      // Nest maps Fastify's body-parser errors to a bare HttpException; a subclass is ours and says what it means.
      const parserDetail =
        exception.constructor === HttpException ? BODY_PARSER_DETAILS[exception.getStatus()] : undefined;
      return problemFor(exception.getStatus(), parserDetail ?? detail);
    }
    if (fastifyError?.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return problemFor(fastifyError.statusCode, fastifyDetail(fastifyError));
    }
    return problemFor(HttpStatus.INTERNAL_SERVER_ERROR, SERVER_ERROR_DETAIL);
  }
}

function fastifyDetail(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this server accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'The request body must be application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    default:
      return error.message.startsWith('Unexpected') || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? `The request body is not valid JSON: ${error.message}`
        : error.message;
  }
}

// Nest turns Fastify's body-parser failures into bare HttpExceptions; only these two statuses come from there.
const BODY_PARSER_DETAILS: Record<number, string> = {
  413: 'The request body is larger than this server accepts.',
  415: 'The request body must be application/json.',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemFor(status: number, detail: string): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
  return { type: `${TYPE_BASE}${title.toLowerCase().replace(/\s+/g, '-')}`, title, status, detail };
}

const FRAMEWORK_ERROR_DETAILS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The path has a % escape that is not valid UTF-8 (such as %ZZ, %C3%28 or a lone %).',
  FST_ERR_MAX_PARAM_LENGTH: 'A segment of the path is longer than this server accepts.',
};

/**
 * Fastify's `frameworkErrors`: its router's own answers, such as a path whose % escapes do not decode, as
 * problems too. Written on the raw response as Fastify's default answer is (the router has no route to run).
 */
export function answerFrameworkError(
  error: { code: string; statusCode?: number },
  request: { id: string },
  reply: {
    raw: { writeHead(status: number, headers: OutgoingHttpHeaders): unknown; end(body: string): unknown };
  },
): void {
  const status = error.statusCode ?? HttpStatus.BAD_REQUEST;
  const problem =
    status < 500 && FRAMEWORK_ERROR_DETAILS[error.code]
      ? problemFor(status, FRAMEWORK_ERROR_DETAILS[error.code])
      : problemFor(status, status < 500 ? 'The request is not valid.' : SERVER_ERROR_DETAIL);
  const body = JSON.stringify(problem);
  reply.raw.writeHead(status, {
    'content-type': PROBLEM_MEDIA_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-request-id': request.id,
  });
  reply.raw.end(body);
}

/**
 * Fastify's `clientErrorHandler`, for what Node's HTTP server refuses while a request arrives: one slower than
 * REQUEST_TIMEOUT_MS, headers too large, bytes that are not HTTP. The answer is written on the socket, which closes.
 */
export function connectionErrorHandler(requestTimeoutMs: number) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const problem =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problemFor(408, `The request did not arrive in full within ${requestTimeoutMs} ms.`)
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? problemFor(431, 'The request line or headers are larger than this server accepts.')
          : problemFor(400, 'The request is not valid HTTP/1.1.');
    if (socket.writable) {
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nConnection: close\r\n` +
          `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
