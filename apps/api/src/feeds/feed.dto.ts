import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsAreaCode } from '../http/shared.dto';

export class FeedQuery {
  @ApiPropertyOptional({
    example: 'KZ',
    description:
      'Only declarations bearing on this area: a country with its subdivisions, a subdivision with its country.',
  })
  @IsOptional()
  @IsAreaCode()
  area?: string;
}
