import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsAreaCode } from '../http/shared.dto';

const LAST_EVENT_ID = /^\s*\d{1,15}\s*$/;
export const LAST_EVENT_ID_MESSAGE = 'must be the id of an event of this stream, a whole number';

export class StreamQuery {
  @ApiPropertyOptional({
    example: 'KZ',
    description:
      'Only events changing this area: a country with its subdivisions, a subdivision with its country.',
  })
  @IsOptional()
  @IsAreaCode()
  area?: string;

  @ApiPropertyOptional({
    example: '1042',
    description: 'Resume after this event, for clients that cannot send Last-Event-ID (the header wins).',
  })
  @IsOptional()
  @Matches(LAST_EVENT_ID, { message: LAST_EVENT_ID_MESSAGE })
  lastEventId?: string;
}
