import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AUDIT_CSV_COLUMNS, AuditService, renderAuditCsv } from '@tocsin/audit';
import { RequireRole } from '@tocsin/auth';
import { CSV_MEDIA_TYPE } from '@tocsin/feeds';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredMediaType } from '../http/content-negotiation';
import { page } from '../http/cursor';
import { ProblemDto, toInstant } from '../http/shared.dto';
import { AuditListDto, AuditQueryDto, renderAuditEntry, SYSTEM_ACTOR_FILTER } from './audit.dto';

const AUDIT_MEDIA_TYPES = ['application/json', CSV_MEDIA_TYPE] as const;

/** Reads only: no route changes or removes an entry (and the database would refuse it). */
@ApiTags('audit')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiProduces(...AUDIT_MEDIA_TYPES)
  @ApiExtraModels(AuditListDto)
  @ApiOkResponse({
    description:
      'Every privileged act, newest first. With `Accept: text/csv`, the same page as CSV with a header row ' +
      `(${AUDIT_CSV_COLUMNS.join(', ')}; details as JSON), the next page in a \`Link: <…>; rel="next"\` header.`,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditListDto) } },
      [CSV_MEDIA_TYPE]: { schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'An unknown action, a bad instant or cursor.' })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'Admin keys only.' })
  async list(
    @Query() query: AuditQueryDto,
    @Headers('accept') accept: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditListDto | string> {
    const actorKeyId = query.actor === SYSTEM_ACTOR_FILTER ? null : query.actor;
    const filters = {
      actorKeyId,
      action: query.action,
      since: query.since !== undefined ? toInstant(query.since) : undefined,
      targetType: query.targetType,
      targetId: query.targetId,
    };
    const listed = await page(
      query,
      (window) => this.audit.list({ ...window, ...filters }),
      (e) => e,
    );
    void reply.header('vary', 'accept');
    if (preferredMediaType(accept, AUDIT_MEDIA_TYPES) !== CSV_MEDIA_TYPE)
      return { items: listed.items.map(renderAuditEntry), nextCursor: listed.nextCursor };
    if (listed.nextCursor)
      void reply.header('link', `<${nextPage(request.url, listed.nextCursor)}>; rel="next"`);
    void reply.header('content-type', `${CSV_MEDIA_TYPE}; charset=utf-8`);
    return renderAuditCsv(listed.items);
  }
}

/** This request's path and query with `cursor` set to the next page's. */
function nextPage(url: string, cursor: string): string {
  const next = new URL(url, 'http://tocsin.invalid');
  next.searchParams.set('cursor', cursor);
  return `${next.pathname}${next.search}`;
}
