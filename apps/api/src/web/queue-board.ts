import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeysService, Principal } from '@tocsin/auth';
import { JobQueues, QUEUE } from '@tocsin/queue';
import { problemFor } from '../http/problem.filter';
import { pageSecurityHeaders } from './security-headers';

export const QUEUE_BOARD_PATH = '/admin/queues';
const SESSION_COOKIE = 'tocsin_queues';

// Bull Board's page links a web font from Google: the link is taken out, and the policy would block it anyway.
const FOREIGN_FONT_LINK = /<link[^>]+fonts\.googleapis\.com[^>]*>/g;
// The board's page sets a <base> and styles elements inline (React), so it needs those two beyond the Vite pages.
const BOARD_SECURITY_HEADERS = {
  ...pageSecurityHeaders({
    csp: {
      'default-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'self'"],
    },
  }),
  'cache-control': 'no-store',
};

// Structural shapes: Nest's adapter brings its own copy of Fastify, whose types differ from the root one's.
interface RequestHeaders {
  headers: { cookie?: string; authorization?: string; accept?: string };
}
interface ProblemReply {
  status(code: number): { header(name: string, value: string): { send(body: unknown): unknown } };
}

function cookieOf(request: RequestHeaders, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      // A value this server never set (bad %-escapes): no session, not a URIError and a 500.
      return undefined;
    }
  }
  return undefined;
}

const bearerOf = (request: RequestHeaders) =>
  /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];

function sendProblem(reply: ProblemReply, status: number, detail: string) {
  return reply
    .status(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(problemFor(status, detail));
}

/**
 * Bull Board at /admin/queues, for admins only. A browser cannot put a Bearer header on a page load, so the
 * console trades its key for a session cookie first (POST /admin/queues/session with the key): HttpOnly,
 * SameSite=Strict, scoped to this path and gone when the browser closes. The cookie holds the key itself, so
 * revoking the key ends the session at once and any API process can check it.
 */
export function registerQueueBoard(app: NestFastifyApplication): void {
  const queues = app.get(JobQueues, { strict: false });
  const apiKeys = app.get(ApiKeysService, { strict: false });
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUE).map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter: board,
    options: {
      uiConfig: { boardTitle: 'Tocsin queues', miscLinks: [{ text: 'Back to the console', url: '/admin' }] },
    },
  });

  const admin = async (key: string | undefined): Promise<Principal | null> => {
    const principal = key ? await apiKeys.authenticate(key) : null;
    return principal?.role === 'admin' ? principal : null;
  };

  void app
    .getHttpAdapter()
    .getInstance()
    .register(async (scope) => {
      scope.post(`${QUEUE_BOARD_PATH}/session`, async (request, reply) => {
        const key = bearerOf(request);
        if (!(await admin(key))) return sendProblem(reply, 403, 'The queues are for admin keys only.');
        const secure = request.protocol === 'https' ? '; Secure' : '';
        return reply
          .status(204)
          .header(
            'set-cookie',
            `${SESSION_COOKIE}=${encodeURIComponent(key!)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict${secure}`,
          )
          .send();
      });
      scope.delete(`${QUEUE_BOARD_PATH}/session`, (_request, reply) =>
        reply
          .status(204)
          .header(
            'set-cookie',
            `${SESSION_COOKIE}=; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`,
          )
          .send(),
      );

      await scope.register(async (guarded) => {
        guarded.addHook('onRequest', async (request, reply) => {
          if (await admin(bearerOf(request) ?? cookieOf(request, SESSION_COOKIE))) return;
          // A person landing here without a session is sent to the console to sign in.
          if ((request.headers.accept ?? '').includes('text/html')) return reply.redirect('/admin', 303);
          return sendProblem(reply, 401, 'The queues need an admin key: sign in to the console at /admin.');
        });
        guarded.addHook('onSend', async (_request, reply, payload) => {
          void reply.headers(BOARD_SECURITY_HEADERS);
          return typeof payload === 'string' ? payload.replace(FOREIGN_FONT_LINK, '') : payload;
        });
        const plugin = board.registerPlugin() as unknown as Parameters<typeof guarded.register>[0];
        await guarded.register(plugin, { prefix: QUEUE_BOARD_PATH });
      });
    });
}
