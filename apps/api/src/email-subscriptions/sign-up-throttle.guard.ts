import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { callerOrNull } from '@tocsin/auth';
import { ClientRateLimit } from '@tocsin/subscribers';
import type { FastifyRequest } from 'fastify';

/** Sign-ups a client may make in an hour; requests with an admin key (bulk imports) are exempt. */
export const SIGNUPS_PER_CLIENT_PER_HOUR = 20;
const HOUR_SECONDS = 3600;

/** A 429 whose Retry-After the problem filter sends. */
export class TooManySignUps extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many sign-ups from this client; try again later.', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * The per-client brake on sign-up, by client address (request.ip, so TRUST_PROXY applies). It runs after the
 * global AuthGuard, so an admin key is known here, and before the body is validated, so a client's malformed
 * sign-ups count too. The per-address brake is not here on purpose: a 429 for an address would tell that
 * someone signed it up lately, so EmailSubscriptionsService applies it silently (the answer stays 202).
 */
@Injectable()
export class SignUpThrottle implements CanActivate {
  constructor(private readonly rateLimit: ClientRateLimit) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (callerOrNull(request)?.role === 'admin') return true;
    const verdict = await this.rateLimit.hit('signup', request.ip, SIGNUPS_PER_CLIENT_PER_HOUR, HOUR_SECONDS);
    if (!verdict.allowed) throw new TooManySignUps(verdict.retryAfterSeconds);
    return true;
  }
}
