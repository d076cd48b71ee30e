import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  UnprocessableEntityException,
} from '@nestjs/common';
import { findCountry } from '@tocsin/areas';
import { BUILTIN_SCHEMES } from './builtin-schemes';
import { LevelTranslations, Scheme, SchemeLevel, SchemeTranslations } from './scheme';
import { mergeTranslations } from './scheme-texts';
import { SchemesRepository, StoredScheme } from './schemes.repository';

/**
 * A change to a scheme's texts; levels are matched by code. Codes and ranks never change once declared against.
 * `translations` merge by language: a language given replaces its texts, a language given null is removed.
 */
export interface SchemeChanges {
  name?: string;
  event?: string;
  description?: string;
  authority?: string;
  translations?: Record<string, SchemeTranslations[string] | null>;
  levels?: (Partial<Omit<SchemeLevel, 'rank' | 'translations'>> & {
    code: string;
    translations?: Record<string, LevelTranslations[string] | null>;
  })[];
}

@Injectable()
export class SchemesService implements OnModuleInit {
  private readonly logger = new Logger(SchemesService.name);

  constructor(private readonly repository: SchemesRepository) {}

  /** Seeds the built-in schemes on first start; later starts leave admins' edits alone. */
  async onModuleInit(): Promise<void> {
    const inserted = await this.repository.insertMissing(BUILTIN_SCHEMES);
    if (inserted) this.logger.log(`seeded ${inserted} built-in schemes`);
  }

  list(): Promise<StoredScheme[]> {
    return this.repository.findAll();
  }

  /** The scheme, or null when there is none with this id; a database error is an error, never "none". */
  find(id: string): Promise<StoredScheme | null> {
    return this.repository.findById(id);
  }

  /** The scheme, or a 404 when there is none with this id. */
  async get(id: string): Promise<StoredScheme> {
    const scheme = await this.find(id);
    if (!scheme) throw new NotFoundException(`There is no scheme "${id}".`);
    return scheme;
  }

  /** Creates a custom scheme of a known country (or none); its levels must be ranked 1..n with unique codes. */
  async create(scheme: Scheme): Promise<StoredScheme> {
    if (scheme.country !== null && !findCountry(scheme.country)) {
      throw new UnprocessableEntityException(`There is no country "${scheme.country}".`);
    }
    const ranks = scheme.levels.map((l) => l.rank).sort((a, b) => a - b);
    if (ranks.some((rank, i) => rank !== i + 1)) {
      throw new UnprocessableEntityException('Level ranks must be 1, 2, … n without gaps or repeats.');
    }
    if (new Set(scheme.levels.map((l) => l.code)).size !== scheme.levels.length) {
      throw new UnprocessableEntityException('Level codes must be unique within a scheme.');
    }
    if (!(await this.repository.insert(scheme)))
      throw new ConflictException(`A scheme "${scheme.id}" already exists.`);
    return this.get(scheme.id);
  }

  async update(id: string, changes: SchemeChanges): Promise<StoredScheme> {
    const current = await this.get(id);
    const levelsByCode = new Map(current.levels.map((l) => [l.code, l]));
    for (const level of changes.levels ?? []) {
      if (!levelsByCode.has(level.code))
        throw new UnprocessableEntityException(`Scheme "${id}" has no level "${level.code}".`);
    }
    const updated: Scheme = {
      ...current,
      ...stripUndefined({
        name: changes.name,
        event: changes.event,
        description: changes.description,
        authority: changes.authority,
      }),
      translations: mergeTranslations(current.translations, changes.translations),
      levels: current.levels.map((level) => {
        const change = changes.levels?.find((l) => l.code === level.code);
        if (!change) return level;
        const { translations, ...texts } = change;
        return {
          ...level,
          ...stripUndefined(texts),
          code: level.code,
          rank: level.rank,
          translations: mergeTranslations(level.translations, translations),
        };
      }),
    };
    await this.repository.update(updated);
    return this.get(id);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
