import type { Server } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, requestIdOf } from '@tocsin/config';
import { uiLanguageOf } from '@tocsin/i18n';
import { Logger } from 'nestjs-pino';
import { registerQueueBoard } from '../web/queue-board';
import { registerWebPages } from '../web/web-pages';
import { jsonBodyParser } from './json-body';
import { refuseUnstorableText } from './storable-text';
import { answerFrameworkError, connectionErrorHandler } from './problem.filter';
import { validationPipe } from './validation';

const CAP_PUSH_ROUTE = '/v1/sources/:id/alerts';

/** Builds the Fastify app around `module`: limits, errors, validation, logging and the OpenAPI document. */
export async function createHttpApp(
  module: Type | DynamicModule,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter<Server>({
    genReqId: requestIdOf,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // A client gets REQUEST_TIMEOUT_MS to send its headers and body. Node counts only until the request has
    // arrived, so a long answer (the SSE stream) and an idle keep-alive connection are not cut by it.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      // Node looks for late requests this often (default 30 s, which would double a 30 s timeout).
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    clientErrorHandler: connectionErrorHandler(config.requestTimeoutMs),
    frameworkErrors: answerFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
    logger: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  // Write routes take JSON only; Fastify would otherwise hand a text/plain body to validation as a string.
  adapter.getInstance().removeContentTypeParser('text/plain');
  // Strict JSON (UTF-8, bounded depth). Registering a parser stops Nest registering its own, so the form
  // parser (HTML forms of the pages) is registered here too, as Nest would.
  const bodyLimit = config.bodyLimitBytes;
  const parseJson = adapter.getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit }, jsonBodyParser(parseJson));
  app.useBodyParser<Server>('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) =>
    done(null, parseForm(body.toString())),
  );
  // CAP documents pushed to a source arrive as they are, up to INGEST_MAX_BYTES; every other route stays JSON.
  app.useBodyParser<Server>(
    ['application/cap+xml', 'application/xml'],
    { bodyLimit: config.ingestMaxBytes },
    (request, body, done) =>
      request.routeOptions.url === CAP_PUSH_ROUTE
        ? done(null, body)
        : done(
            Object.assign(new Error('not JSON'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }),
          ),
  );
  adapter.getInstance().addHook('preValidation', refuseUnstorableText);
  // Every answer carries its request id, and the log line of the request shows the same one.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    (request.raw as typeof request.raw & { id: string }).id = request.id;
    void reply.header('x-request-id', request.id);
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tocsin')
      .setDescription(
        'Threat levels of countries and their subdivisions, their history, and the declarations that set them. ' +
          'Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, tk_…' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
  // The status page, sign-up and console (built by Vite into dist/web), and the queue board for admins.
  // Pages in DEFAULT_LANGUAGE when the reader asks for none of ours and it is one of them.
  registerWebPages(app, uiLanguageOf(config.defaultLanguage, 'en'));
  registerQueueBoard(app);
  return app;
}
