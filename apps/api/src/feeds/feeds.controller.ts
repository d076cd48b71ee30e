import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ATOM_MEDIA_TYPE, CAP_MEDIA_TYPE, FEED_SIZE, FeedsService } from '@tocsin/feeds';
import type { FastifyReply } from 'fastify';
import { ConditionalHeaders, isNotModified } from '../http/conditional-get';
import { FeedQuery } from './feed.dto';

@ApiTags('feeds')
@Controller()
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('v1/declarations/:id/cap')
  @Header('content-type', `${CAP_MEDIA_TYPE}; charset=utf-8`)
  @ApiProduces(CAP_MEDIA_TYPE)
  @ApiOkResponse({
    description:
      'The CAP 1.2 message of the declaration: Alert, or Update of the declarations it replaced; once cancelled, the Cancel.',
    schema: { type: 'string' },
  })
  @ApiNotFoundResponse({ description: 'No such declaration.' })
  capMessage(@Param('id') id: string): Promise<string> {
    return this.feeds.capMessage(id);
  }

  @Get('v1/feeds/declarations.atom')
  @ApiProduces(ATOM_MEDIA_TYPE)
  @ApiOkResponse({
    description: `Atom feed of the newest ${FEED_SIZE} declarations, each entry linking its CAP message.`,
    schema: { type: 'string' },
  })
  @ApiNotModifiedResponse({ description: 'If-None-Match or If-Modified-Since: the copy held is current.' })
  @ApiNotFoundResponse({ description: 'No such area.' })
  @ApiBadRequestResponse({ description: 'An area or language that is not well-formed.' })
  async declarationsFeed(
    @Query() query: FeedQuery,
    @Headers() headers: ConditionalHeaders,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const feed = await this.feeds.declarationsFeed(query.area, query.lang);
    void reply.header('etag', feed.etag).header('cache-control', 'public, no-cache');
    if (feed.lastModified) void reply.header('last-modified', feed.lastModified.toUTCString());
    if (isNotModified(headers, feed)) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', `${ATOM_MEDIA_TYPE}; charset=utf-8`);
    return feed.xml;
  }
}
