import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Years 0001–9999 in UTC: PostgreSQL has no year 0, and a later year has no four-digit ISO form to send back.
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const INSTANT_MESSAGE = 'must be an ISO 8601 date-time with a time zone, e.g. 2022-01-07T09:00:00+06:00';
const INSTANT_RANGE_MESSAGE = 'must lie between the years 0001 and 9999 (UTC)';

/** Why `value` is not an instant this API accepts, or null if it is one. */
function instantProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !INSTANT.test(value)) return INSTANT_MESSAGE;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const calendarDay = new Date(0);
  calendarDay.setUTCFullYear(year, month - 1, day);
  const instant = Date.parse(value);
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day || Number.isNaN(instant))
    return INSTANT_MESSAGE; // no 30 February, no 25:00
  return instant < FIRST_INSTANT || instant > LAST_INSTANT ? INSTANT_RANGE_MESSAGE : null;
}

/** Whether `value` is an ISO 8601 date-time with its time zone, a real one (no 30 February), in years 0001–9999. */
export function isInstant(value: unknown): value is string {
  return instantProblem(value) === null;
}

/** A bare date or local time would be ambiguous, so instants must carry their time zone. */
export const IsInstant = () =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isInstant,
      defaultMessage: (args) => instantProblem(args?.value) ?? INSTANT_MESSAGE,
    },
  });

export const toInstant = (value: string): Date => new Date(value);

const AREA_CODE = /^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/;
const AREA_CODE_OR_EVERYWHERE = /^(\*|[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?)$/;

/**
 * The shape of an ISO 3166 code (KZ, KZ-75, kz-ala): a 400 before any lookup; whether the code exists is
 * the areas lib's to say (a 422 or 404). `everywhere`: `*` too, as subscription filters take it.
 */
export const IsAreaCode = (options: { each?: boolean; everywhere?: boolean } = {}) =>
  Matches(options.everywhere ? AREA_CODE_OR_EVERYWHERE : AREA_CODE, {
    each: options.each,
    message:
      `${options.each ? 'each ' : ''}must be an ISO 3166 code such as KZ or KZ-75` +
      (options.everywhere ? ', or *' : ''),
  });

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
