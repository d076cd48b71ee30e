import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EVERYWHERE, resolveAreaCodes } from '@tocsin/areas';
import { SchemesService } from '@tocsin/schemes';
import { FilterEvent, SubscriptionFilter } from './subscription-filter';

/** A filter as a client sends it: codes may be old ones, optional parts may be missing. */
export interface FilterInput {
  areas: string[];
  scheme?: string | null;
  minRank?: number | null;
  events?: FilterEvent[] | null;
}

/** Turns client input into a stored filter: current area codes, a scheme that exists, a reachable rank. */
@Injectable()
export class FilterInputs {
  constructor(private readonly schemes: SchemesService) {}

  async normalize(input: FilterInput): Promise<SubscriptionFilter> {
    const areas = resolveAreaCodes(input.areas, { everywhere: true }).sort();
    const schemeId = input.scheme ?? null;
    let highestRank = 20;
    if (schemeId !== null) {
      const scheme = await this.schemes.find(schemeId);
      if (!scheme) throw new UnprocessableEntityException(`There is no scheme "${schemeId}".`);
      highestRank = scheme.levels.length;
    }
    const minRank = input.minRank ?? null;
    if (minRank !== null && minRank > highestRank) {
      throw new UnprocessableEntityException(
        `minRank ${minRank} can never be reached${schemeId ? `: scheme "${schemeId}" has ${highestRank} levels` : ''}.`,
      );
    }
    const events = input.events?.length ? [...new Set(input.events)].sort() : null;
    return { areas: areas.includes(EVERYWHERE) ? [EVERYWHERE] : areas, schemeId, minRank, events };
  }
}
