import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from './api-key';
import { ApiKeysService, Principal } from './api-keys.service';

const ROLES_KEY = 'tocsin:roles';

/** Routes with this need a key of one of these roles; routes without it are public. */
export const RequireRole = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Reads `Authorization: Bearer tk_…` on every request; enforces roles where a route asks for them. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (header !== undefined && !bearer) {
      throw new UnauthorizedException('The Authorization header must be "Bearer <API key>".');
    }
    // A source's push key (tpk_…) is checked by the push route itself, not as an API key.
    if (bearer && !bearer.startsWith('tpk_')) {
      const principal = await this.apiKeys.authenticate(bearer);
      if (!principal) throw new UnauthorizedException('The API key is unknown or revoked.');
      request.principal = principal;
    }
    if (!roles) return true;
    if (!request.principal)
      throw new UnauthorizedException('This route needs an API key: Authorization: Bearer <key>.');
    if (!roles.includes(request.principal.role)) {
      throw new ForbiddenException(
        `This route needs a key of role ${roles.join(' or ')}; yours is ${request.principal.role}.`,
      );
    }
    return true;
  }
}

/** The authenticated caller of a request that passed a role check. */
export function principalOf(request: unknown): Principal {
  const principal = callerOrNull(request);
  if (!principal) throw new UnauthorizedException('This route needs an API key.');
  return principal;
}

/** The caller of any request once AuthGuard has run (it runs first, as the global guard); null = no key. */
export function callerOrNull(request: unknown): Principal | null {
  return (request as AuthenticatedRequest).principal ?? null;
}

/** Injects the authenticated caller into a handler of a route with `RequireRole`. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest()),
);
