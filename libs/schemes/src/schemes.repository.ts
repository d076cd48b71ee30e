import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, tables } from '@tocsin/database';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  CapSeverity,
  LevelTranslations,
  Scheme,
  SchemeApproval,
  SchemeLevel,
  SchemeTranslations,
} from './scheme';

/** Writes more in a scheme change's own transaction (its audit record). */
export type AlsoInTransaction = (tx: Pick<Database, 'insert'>) => Promise<void>;

const { schemes, schemeLevels } = tables;

export interface StoredScheme extends Scheme {
  translations: SchemeTranslations;
  levels: (SchemeLevel & { translations: LevelTranslations })[];
  approval: SchemeApproval | null;
  builtin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class SchemesRepository {
  /** Built once: every declaration published reads it before it writes, and every batch before it sends. */
  private readonly byId;

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.byId = db
      .select({ scheme: schemes, level: schemeLevels })
      .from(schemes)
      .leftJoin(schemeLevels, eq(schemeLevels.schemeId, schemes.id))
      .where(eq(schemes.id, sql.placeholder('id')))
      .orderBy(asc(schemeLevels.rank))
      .prepare('tocsin_scheme_by_id');
  }

  /**
   * Inserts the schemes that are missing; never overwrites one an admin may have edited. A built-in seeded
   * before it had translations gets the languages it lacks, scheme and levels alike; a language already
   * stored (an admin's edit) stays as it is.
   */
  async insertMissing(builtins: readonly Scheme[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(schemes)
        .values(builtins.map((s) => ({ ...schemeRow(s), builtin: true })))
        .onConflictDoNothing()
        .returning({ id: schemes.id });
      const fresh = new Set(inserted.map((row) => row.id));
      const levels = builtins
        .filter((s) => fresh.has(s.id))
        .flatMap((s) => s.levels.map((l) => levelRow(s.id, l)));
      if (levels.length) await tx.insert(schemeLevels).values(levels);
      for (const scheme of builtins.filter((s) => !fresh.has(s.id))) {
        const languages = Object.keys(scheme.translations ?? {});
        if (languages.length)
          await tx
            .update(schemes)
            .set({ translations: sql`${jsonb(scheme.translations)} || ${schemes.translations}` })
            .where(
              and(
                eq(schemes.id, scheme.id),
                eq(schemes.builtin, true),
                lacksAny(schemes.translations, languages),
              ),
            );
        for (const level of scheme.levels) {
          const levelLanguages = Object.keys(level.translations ?? {});
          if (!levelLanguages.length) continue;
          await tx
            .update(schemeLevels)
            .set({ translations: sql`${jsonb(level.translations)} || ${schemeLevels.translations}` })
            .where(
              and(
                eq(schemeLevels.schemeId, scheme.id),
                eq(schemeLevels.code, level.code),
                lacksAny(schemeLevels.translations, levelLanguages),
              ),
            );
        }
      }
      return fresh.size;
    });
  }

  /** Inserts a new scheme; false when its id is taken (and `also` is not run). */
  async insert(scheme: Scheme, also?: AlsoInTransaction): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(schemes)
        .values(schemeRow(scheme))
        .onConflictDoNothing()
        .returning({ id: schemes.id });
      if (!inserted.length) return false;
      await tx.insert(schemeLevels).values(scheme.levels.map((l) => levelRow(scheme.id, l)));
      await also?.(tx);
      return true;
    });
  }

  /** Replaces a scheme's texts, approval and its levels' texts; codes and ranks stay as they are. */
  async update(scheme: Scheme, also?: AlsoInTransaction): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { id, ...fields } = schemeRow(scheme);
      await tx
        .update(schemes)
        .set({ ...fields, updatedAt: sql`now()` })
        .where(eq(schemes.id, id));
      for (const level of scheme.levels) {
        const { schemeId, code, ...texts } = levelRow(scheme.id, level);
        await tx
          .update(schemeLevels)
          .set({
            name: texts.name,
            color: texts.color,
            description: texts.description,
            measures: texts.measures,
            capSeverity: texts.capSeverity,
            translations: texts.translations,
          })
          .where(sql`${schemeLevels.schemeId} = ${schemeId} and ${schemeLevels.code} = ${code}`);
      }
      await also?.(tx);
    });
  }

  async findAll(): Promise<StoredScheme[]> {
    const [schemeRows, levelRows] = await Promise.all([
      this.db.select().from(schemes).orderBy(asc(schemes.id)),
      this.db.select().from(schemeLevels).orderBy(asc(schemeLevels.schemeId), asc(schemeLevels.rank)),
    ]);
    return schemeRows.map((row) =>
      toScheme(
        row,
        levelRows.filter((l) => l.schemeId === row.id),
      ),
    );
  }

  /** The scheme with its levels in one statement. */
  async findById(id: string): Promise<StoredScheme | null> {
    const rows = await this.byId.execute({ id });
    if (!rows.length) return null;
    return toScheme(
      rows[0].scheme,
      rows.flatMap((row) => (row.level ? [row.level] : [])),
    );
  }
}

function schemeRow(s: Scheme) {
  return {
    id: s.id,
    name: s.name,
    event: s.event,
    description: s.description,
    authority: s.authority,
    country: s.country,
    translations: s.translations ?? {},
    approval: s.approval ?? null,
  };
}

function levelRow(schemeId: string, l: SchemeLevel) {
  return {
    schemeId,
    code: l.code,
    rank: l.rank,
    name: l.name,
    color: l.color,
    description: l.description,
    measures: l.measures,
    capSeverity: l.capSeverity,
    translations: l.translations ?? {},
  };
}

function toScheme(
  row: typeof schemes.$inferSelect,
  levels: (typeof schemeLevels.$inferSelect)[],
): StoredScheme {
  return {
    id: row.id,
    name: row.name,
    event: row.event,
    description: row.description,
    authority: row.authority,
    country: row.country,
    translations: row.translations,
    approval: row.approval ?? null,
    builtin: row.builtin,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    levels: levels.map((l) => ({
      code: l.code,
      rank: l.rank,
      name: l.name,
      color: l.color,
      description: l.description,
      measures: l.measures,
      capSeverity: l.capSeverity as CapSeverity,
      translations: l.translations,
    })),
  };
}

/** A JSON value as a jsonb parameter (both drivers send it as text). */
const jsonb = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** True when the jsonb object lacks at least one of `keys`, so a seeding that would change nothing writes nothing. */
const lacksAny = (column: typeof schemes.translations | typeof schemeLevels.translations, keys: string[]) =>
  sql`not (${column} ?& array[${sql.join(
    keys.map((key) => sql`${key}`),
    sql`, `,
  )}]::text[])`;

/** Seeds the built-in schemes into `db` outside Nest (tests of other capabilities, scripts). */
export function seedBuiltinSchemes(db: Database, builtins: readonly Scheme[]): Promise<number> {
  return new SchemesRepository(db).insertMissing(builtins);
}
