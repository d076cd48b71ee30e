import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { findArea } from '@tocsin/areas';
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
    const unknown = input.areas.filter((code) => code !== '*' && !findArea(code));
    if (unknown.length) {
      throw new UnprocessableEntityException(
        `Unknown area code${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => JSON.stringify(u)).join(', ')}. ` +
          'Use ISO 3166 codes such as "KZ" or "KZ-75", or "*" for everywhere.',
      );
    }
    const areas = [...new Set(input.areas.map((code) => (code === '*' ? '*' : findArea(code)!.code)))].sort();
    const schemeId = input.scheme ?? null;
    let highestRank = 20;
    if (schemeId !== null) {
      const scheme = await this.schemes.get(schemeId).catch(() => {
        throw new UnprocessableEntityException(`There is no scheme "${schemeId}".`);
      });
      highestRank = scheme.levels.length;
    }
    const minRank = input.minRank ?? null;
    if (minRank !== null && minRank > highestRank) {
      throw new UnprocessableEntityException(
        `minRank ${minRank} can never be reached${schemeId ? `: scheme "${schemeId}" has ${highestRank} levels` : ''}.`,
      );
    }
    const events = input.events?.length ? [...new Set(input.events)].sort() : null;
    return { areas: areas.includes('*') ? ['*'] : areas, schemeId, minRank, events };
  }
}
