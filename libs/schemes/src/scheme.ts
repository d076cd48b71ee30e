/** CAP 1.2 `severity` values a level maps to. */
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

/** A scheme's own texts, in its original language or another. */
export interface SchemeTexts {
  name: string;
  event: string;
  description: string;
}
/** A level's own texts, in its original language or another. */
export interface LevelTexts {
  name: string;
  description: string;
  measures: string[];
}
/** Texts in languages other than the original, keyed by canonical BCP 47 tag (`{"ru": {"name": "…"}}`). */
export type SchemeTranslations = Record<string, Partial<SchemeTexts>>;
export type LevelTranslations = Record<string, Partial<LevelTexts>>;

export interface SchemeLevel {
  /** Stable machine code within the scheme, e.g. `red`, `substantial`. Lowercase, `[a-z0-9-]+`. */
  code: string;
  /** 1 = lowest. Ranks within a scheme are 1..n without gaps. */
  rank: number;
  name: string;
  /** `#rrggbb`, or null where the scheme has no official colour. */
  color: string | null;
  description: string;
  /** Typical measures taken at this level, one sentence each. */
  measures: string[];
  capSeverity: CapSeverity;
  /** The level's texts in other languages; a field left out falls back to the original. */
  translations?: LevelTranslations;
}

/** Four eyes (DESIGN.md §5.4): a declaration at or above `minRank` waits for a second key. */
export interface SchemeApproval {
  minRank: number;
}

export interface Scheme {
  /** e.g. `kz-terror`. Lowercase, `[a-z0-9-]+`. */
  id: string;
  name: string;
  /** What a level of this scheme is about, in words that fit "<area> — <event> <LEVEL>", e.g. "terrorism threat level". */
  event: string;
  description: string;
  /** Who sets levels of this scheme in real life, e.g. "National Security Committee of the Republic of Kazakhstan". */
  authority: string;
  /** ISO 3166-1 alpha-2 code of the country the scheme belongs to, or null for an international scheme. */
  country: string | null;
  levels: SchemeLevel[];
  /** The scheme's texts in other languages; a field left out falls back to the original. */
  translations?: SchemeTranslations;
  /** null or absent: no declaration of the scheme waits for approval. */
  approval?: SchemeApproval | null;
}
