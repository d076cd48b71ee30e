import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `value` is an ISO 8601 date-time with its time zone, and a real one (no 30 February). */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  return (
    calendarDay.getUTCMonth() === month - 1 &&
    calendarDay.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

/** A bare date or local time would be ambiguous, so instants must carry their time zone. */
export const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isInstant,
      defaultMessage: () => 'must be an ISO 8601 date-time with a time zone, e.g. 2022-01-07T09:00:00+06:00',
    },
  });

export const toInstant = (value: string): Date => new Date(value);

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Items per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AtQuery {
  @ApiPropertyOptional({
    description: 'The instant to answer for, past or future (ISO 8601 with time zone); default now.',
    example: '2022-01-26T00:00:01+06:00',
  })
  @IsOptional()
  @IsInstant()
  at?: string;
}

export class AreaDto {
  @ApiProperty({ example: 'KZ-75' }) code!: string;
  @ApiProperty({ example: 'Almaty' }) name!: string;
  @ApiProperty({ enum: ['country', 'subdivision'] }) type!: 'country' | 'subdivision';
  @ApiProperty({ type: String, nullable: true, example: 'KZ' }) parent!: string | null;
}

export class LevelDto {
  @ApiProperty({ example: 'red' }) code!: string;
  @ApiProperty({ example: 3, description: '1 = lowest.' }) rank!: number;
  @ApiProperty({ example: 'Critical' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '#d32f2f' }) color!: string | null;
}

export class ProblemDto {
  @ApiProperty() type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
  })
  errors?: { field: string; message: string }[];
}
