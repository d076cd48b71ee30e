import { tables } from '@tocsin/database';
import { LevelRef } from './effective-level';

/** Where an imported declaration came from: the source and the CAP document's (sender, identifier, sent). */
export type DeclarationOrigin = tables.DeclarationOrigin;

export const DECLARATION_STATUSES = ['scheduled', 'active', 'expired', 'cancelled', 'superseded'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** Who did something: an API key's id and its name at the time. */
export interface Actor {
  id: string;
  name: string;
}

/** Headline, summary and measures in one language. */
export interface DeclarationText {
  headline: string;
  summary: string;
  measures: string[];
}

/**
 * The declaration's texts in languages other than its own, keyed by canonical BCP 47 tag
 * (`{"ru": {"headline": "…"}}`); a field a translation leaves out reads as the original's.
 */
export type DeclarationTranslations = Record<string, Partial<DeclarationText>>;

export interface Declaration {
  id: string;
  status: DeclarationStatus;
  schemeId: string;
  level: LevelRef;
  areaCodes: string[];
  headline: string;
  summary: string;
  measures: string[];
  /** Canonical BCP 47 tag of headline, summary and measures. */
  language: string;
  translations: DeclarationTranslations;
  authority: string;
  sourceUrl: string | null;
  effectiveAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  /** Where an imported declaration came from (libs/ingest); null (or absent) for one published here. */
  origin?: DeclarationOrigin | null;
}

export interface NewDeclaration {
  schemeId: string;
  levelCode: string;
  areaCodes: string[];
  headline: string;
  summary: string;
  measures: string[];
  language: string;
  translations: DeclarationTranslations;
  authority: string;
  sourceUrl: string | null;
  effectiveAt: Date;
  expiresAt: Date | null;
  origin?: DeclarationOrigin | null;
}
