import { tables } from '@tocsin/database';
import { LevelRef } from './effective-level';

/** Where an imported declaration came from: the source and the CAP document's (sender, identifier, sent). */
export type DeclarationOrigin = tables.DeclarationOrigin;

export const DECLARATION_STATUSES = [
  'pending_approval',
  'rejected',
  'scheduled',
  'active',
  'expired',
  'cancelled',
  'superseded',
] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** CAP's status: only an `actual` declaration changes a level (DESIGN.md §5.4). */
export const DECLARATION_MODES = ['actual', 'exercise', 'test'] as const;
export type DeclarationMode = (typeof DECLARATION_MODES)[number];

/** null: none was needed; pending → approved | rejected; urgent: an admin skipped it, with a reason. */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'urgent'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/**
 * Who did something: an API key's id, its name at the time and its role. No role: the system itself (an
 * import by libs/ingest, whose id is the source's).
 */
export interface Actor {
  id: string;
  name: string;
  role?: string;
}

/** A cancellation asked for by a publisher of a declaration that needed approval, waiting for a second key. */
export interface CancelRequest {
  requestedAt: Date;
  requestedBy: Actor;
  reason: string | null;
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
  // Governance (DESIGN.md §5.4). Optional so that a declaration built by hand (a test's) may leave them out:
  // absent reads as actual, with no approval asked for. The repository always sets them.
  /** The id of the key (or source) that published it: it may not approve its own declaration. */
  createdByKey?: string;
  mode?: DeclarationMode;
  approval?: ApprovalState | null;
  /** Who approved or rejected it, and when. */
  decidedAt?: Date | null;
  decidedBy?: Actor | null;
  rejectReason?: string | null;
  /** An admin's reason for publishing without approval. */
  urgentReason?: string | null;
  /** Set while a cancellation waits for a second key (and kept once carried out). */
  cancelRequest?: CancelRequest | null;
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
  mode: DeclarationMode;
  approval: ApprovalState | null;
  urgentReason: string | null;
}
