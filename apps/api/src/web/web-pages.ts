import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic, { FastifyStaticOptions } from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { UiLanguage } from '@tocsin/i18n';
import { localisedPages, pageLanguage } from './localised-page';
import { VITE_PAGE_HEADERS } from './security-headers';

/** Paths of the single-page app: each answers index.html, in the reader's language. */
export const PAGE_ROUTES = ['/', '/index.html', '/country/:code', '/subscribe', '/admin'] as const;

/**
 * Where Vite put the pages: `dist/web`, seen from the compiled server (`dist/apps/api/src/web`) or from the
 * sources (tests run them through SWC). Null when the front-end has not been built.
 */
export function findWebRoot(): string | null {
  const candidates = [resolve(__dirname, '../../../../web'), resolve(__dirname, '../../../../dist/web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

// Structural shapes of Fastify's request and reply, for the same reason as the cast below.
interface HeaderReply {
  header(name: string, value: string): unknown;
}
interface PageReply extends HeaderReply {
  type(contentType: string): unknown;
  send(body: string): unknown;
}
interface PageRequest {
  query: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const single = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) ? single(value[0]) : undefined;

function setPageHeaders(reply: HeaderReply, path: string): void {
  // Vite names assets by their content hash, so they never change; the pages that name them must be fresh.
  if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
  else reply.header('cache-control', 'no-cache');
  if (path.endsWith('.html')) {
    for (const [name, value] of Object.entries(VITE_PAGE_HEADERS)) reply.header(name, value);
  }
}

/**
 * Serves the built front-end at `/`: its files, and index.html for the app's own paths, in the language
 * `?lang=`, the language cookie or Accept-Language asks for, else `fallback` (the three versions are made at
 * start). Only files
 * that exist at start are routed (no wildcard), so every other path, /v1 included, still ends in the API's
 * problem+json 404.
 */
export function registerWebPages(
  app: NestFastifyApplication,
  fallback: UiLanguage = 'en',
  root: string | null = findWebRoot(),
): void {
  if (!root) {
    new Logger('WebPages').warn(
      'no built pages in dist/web (run npm run build): the API is served without them',
    );
    return;
  }
  const pages = localisedPages(readFileSync(join(root, 'index.html'), 'utf8'));
  // In a scope of its own, so `reply.sendFile` does not clash with the static files of the queue board.
  void app
    .getHttpAdapter()
    .getInstance()
    .register(async (scope) => {
      // Nest's adapter brings its own copy of Fastify, whose types differ from those the plugin names.
      const plugin = fastifyStatic as unknown as Parameters<typeof scope.register>[0];
      await scope.register(plugin, {
        root,
        prefix: '/',
        wildcard: false,
        // index.html is a page like the others (below), in the reader's language, not a file as it lies.
        index: false,
        globIgnore: ['index.html'],
        cacheControl: false,
        setHeaders: setPageHeaders,
      } satisfies FastifyStaticOptions);
      for (const path of PAGE_ROUTES) {
        scope.get(path, (rawRequest, rawReply) => {
          const [request, reply] = [rawRequest as unknown as PageRequest, rawReply as unknown as PageReply];
          const lang = pageLanguage(
            {
              lang: single((request.query as Record<string, unknown> | null)?.lang),
              cookie: single(request.headers.cookie),
              acceptLanguage: single(request.headers['accept-language']),
            },
            fallback,
          );
          setPageHeaders(reply, '/index.html');
          reply.header('content-language', lang);
          reply.header('vary', 'accept-language, cookie');
          reply.type('text/html; charset=utf-8');
          return reply.send(pages[lang]);
        });
      }
    });
}
