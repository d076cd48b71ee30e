import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

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
    if (problem.status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problem);
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
      return problemFor(exception.getStatus(), BODY_PARSER_DETAILS[exception.getStatus()] ?? detail);
    }
    if (fastifyError?.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return problemFor(fastifyError.statusCode, fastifyDetail(fastifyError));
    }
    return problemFor(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'Something went wrong on our side; it has been logged.',
    );
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
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemFor(status: number, detail: string): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
  return { type: `${TYPE_BASE}${title.toLowerCase().replace(/\s+/g, '-')}`, title, status, detail };
}
