import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FILTER_EVENTS, FILTER_EXPLANATION, FilterEvent, SubscriptionFilter } from '@tocsin/subscribers';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { IsAreaCode } from './shared.dto';

/** The filter fields shared by email subscriptions and webhook endpoints. */
export class SubscriptionFilterDto {
  @ApiProperty({ type: [String], example: ['KZ'], description: FILTER_EXPLANATION })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(300)
  @IsAreaCode({ each: true, everywhere: true })
  areas!: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'kz-terror',
    description: 'Only this scheme.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  scheme?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 2,
    description: 'Only changes where the previous or the current rank reaches this.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  minRank?: number | null;

  @ApiPropertyOptional({
    enum: FILTER_EVENTS,
    isArray: true,
    nullable: true,
    description: 'Only these directions; default both.',
  })
  @IsOptional()
  @IsArray()
  @IsIn(FILTER_EVENTS, { each: true })
  events?: FilterEvent[] | null;
}

/** The filter as the API shows it. */
export class SubscriptionFilterView {
  @ApiProperty({ type: [String] }) areas!: string[];
  @ApiProperty({ type: String, nullable: true }) scheme!: string | null;
  @ApiProperty({ type: Number, nullable: true }) minRank!: number | null;
  @ApiProperty({ enum: FILTER_EVENTS, isArray: true, nullable: true }) events!: FilterEvent[] | null;
}

export const renderFilter = (filter: SubscriptionFilter): SubscriptionFilterView => ({
  areas: filter.areas,
  scheme: filter.schemeId,
  minRank: filter.minRank,
  events: filter.events,
});
