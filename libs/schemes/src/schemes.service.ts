import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  UnprocessableEntityException,
} from '@nestjs/common';
import { findCountry } from '@tocsin/areas';
import { AuditActor, AuditLogRepository } from '@tocsin/audit';
import { BUILTIN_SCHEMES } from './builtin-schemes';
import { LevelTranslations, Scheme, SchemeApproval, SchemeLevel, SchemeTranslations } from './scheme';
import { approvalProblem } from './scheme-approval';
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
  /** null: no approval; a rank: declarations at or above it wait for a second key. */
  approval?: SchemeApproval | null;
}

@Injectable()
export class SchemesService implements OnModuleInit {
  private readonly logger = new Logger(SchemesService.name);

  constructor(
    private readonly repository: SchemesRepository,
    private readonly audit: AuditLogRepository,
  ) {}

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

  /**
   * Creates a custom scheme of a known country (or none); its levels must be ranked 1..n with unique codes.
   * With an actor, the audit log records it in the same transaction.
   */
  async create(scheme: Scheme, actor?: AuditActor): Promise<StoredScheme> {
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
    const problem = approvalProblem(scheme.approval, scheme.levels);
    if (problem) throw new BadRequestException(problem);
    const recorded = await this.repository.insert(scheme, async (tx) => {
      if (!actor) return;
      await this.audit.append(
        {
          at: new Date(),
          actor,
          action: 'scheme.created',
          target: { type: 'scheme', id: scheme.id },
          details: { levels: scheme.levels.map((l) => l.code), approval: scheme.approval ?? null },
        },
        tx,
      );
    });
    if (!recorded) throw new ConflictException(`A scheme "${scheme.id}" already exists.`);
    return this.get(scheme.id);
  }

  /** Changes a scheme (built-in ones too); with an actor, the audit log records what changed. */
  async update(id: string, changes: SchemeChanges, actor?: AuditActor): Promise<StoredScheme> {
    const current = await this.get(id);
    const problem = approvalProblem(changes.approval, current.levels);
    if (problem) throw new BadRequestException(problem);
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
      approval: changes.approval === undefined ? current.approval : changes.approval,
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
    await this.repository.update(updated, async (tx) => {
      if (!actor) return;
      await this.audit.append(
        {
          at: new Date(),
          actor,
          action: 'scheme.updated',
          target: { type: 'scheme', id },
          details: {
            changed: Object.keys(changes).filter((k) => changes[k as keyof SchemeChanges] !== undefined),
            ...(changes.approval !== undefined
              ? { approval: changes.approval, previousApproval: current.approval }
              : {}),
          },
        },
        tx,
      );
    });
    return this.get(id);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
