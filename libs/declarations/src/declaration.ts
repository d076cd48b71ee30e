import { LevelRef } from './effective-level';

export const DECLARATION_STATUSES = ['scheduled', 'active', 'expired', 'cancelled', 'superseded'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** Who did something: an API key's id and its name at the time. */
export interface Actor {
  id: string;
  name: string;
}

export interface Declaration {
  id: string;
  status: DeclarationStatus;
  schemeId: string;
  level: LevelRef;
  areaCodes: string[];
  headline: string;
  summary: string;
  measures: string[];
  authority: string;
  sourceUrl: string | null;
  effectiveAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface NewDeclaration {
  schemeId: string;
  levelCode: string;
  areaCodes: string[];
  headline: string;
  summary: string;
  measures: string[];
  authority: string;
  sourceUrl: string | null;
  effectiveAt: Date;
  expiresAt: Date | null;
}
