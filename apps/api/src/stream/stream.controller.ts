import type { OutgoingHttpHeaders } from 'node:http';
import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CATCH_UP_LIMIT, EVENT_STREAM_MEDIA_TYPE, parseLastEventId, StreamService } from '@tocsin/stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationProblem } from '../http/problem.filter';
import { LAST_EVENT_ID_MESSAGE, StreamQuery } from './stream.dto';

@ApiTags('stream')
@Controller('v1/stream')
export class StreamController {
  constructor(private readonly stream: StreamService) {}

  @Get()
  @ApiProduces(EVENT_STREAM_MEDIA_TYPE)
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The `id` of the last event received: the stream first sends every event announced since.',
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events. First `retry: 3000`, then one message per `threat_level.changed` event: `id:` (send ' +
      'it back as Last-Event-ID to resume), `event: threat_level.changed` and `data:` the event JSON (as ' +
      'webhooks receive it); a `: heartbeat` comment every 15 s. A resuming client first gets what it missed, ' +
      `oldest first; past ${CATCH_UP_LIMIT} events the stream ends after them and the reconnection resumes.`,
    content: { [EVENT_STREAM_MEDIA_TYPE]: { schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'A malformed area or Last-Event-ID.' })
  @ApiNotFoundResponse({ description: 'No such area.' })
  @ApiTooManyRequestsResponse({
    description: 'This client address has STREAM_MAX_PER_CLIENT streams open already; see Retry-After.',
  })
  @ApiServiceUnavailableResponse({
    description: 'The server has STREAM_MAX streams open (see Retry-After), or is shutting down.',
  })
  async live(
    @Query() query: StreamQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // An EventSource sends the header when it reconnects: it is newer than the query of the first connection.
    const given = lastEventIdHeader?.trim() || query.lastEventId;
    const lastEventId = given === undefined ? null : parseLastEventId(given);
    if (lastEventId === undefined) {
      throw new ValidationProblem([{ field: 'Last-Event-ID', message: LAST_EVENT_ID_MESSAGE }]);
    }
    // request.ip honours TRUST_PROXY, as the sign-up rate limit does.
    const stream = await this.stream.prepare({ area: query.area, lastEventId, client: request.ip });
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders), // x-request-id and any other set by hooks
      'content-type': `${EVENT_STREAM_MEDIA_TYPE}; charset=utf-8`,
      'cache-control': 'no-cache',
      // nginx would otherwise hold events back to fill its buffer.
      'x-accel-buffering': 'no',
    });
    this.stream.serve(stream, reply.raw);
  }
}
