import { Injectable } from '@nestjs/common';
import { areaName, areaOf, requireArea } from '@tocsin/areas';
import { AppConfig } from '@tocsin/config';
import type { KeysetPosition } from '@tocsin/database';
import { Declaration, DeclarationsService } from '@tocsin/declarations';
import { matchLanguage, translate, uiLanguageOf } from '@tocsin/i18n';
import { levelText, SchemesService } from '@tocsin/schemes';
import { inPublicFeed, lastChangeOf, renderAtomFeed } from './atom';
import { capSender, renderCap } from './cap';
import { capTexts } from './cap-texts';
import { strongEtag } from './etag';
import { declarationsFeedUrl, declarationUrl } from './links';

/** How many declarations a feed holds, newest first: enough for any reader polling at a sane rate. */
export const FEED_SIZE = 100;
/** How many lists of FEED_SIZE a feed reads at most to fill itself past exercises and unissued declarations. */
const FEED_PAGES = 5;

/** A rendered feed and what a conditional GET compares. */
export interface RenderedFeed {
  xml: string;
  /** A strong validator: a hash of the bytes, so it changes exactly when the document does. */
  etag: string;
  /** The newest publication or cancellation in it; null for an empty feed. */
  lastModified: Date | null;
}

@Injectable()
export class FeedsService {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly schemes: SchemesService,
    private readonly config: AppConfig,
  ) {}

  /** The CAP 1.2 message of a declaration: its Alert or Update, or once cancelled, the Cancel. */
  async capMessage(id: string): Promise<string> {
    const declaration = await this.declarations.get(id);
    const [scheme, supersedes] = await Promise.all([
      this.schemes.get(declaration.schemeId),
      this.declarations.superseded(declaration),
    ]);
    const level = scheme.levels.find((l) => l.code === declaration.level.code);
    const areas = declaration.areaCodes.map(areaOf);
    return renderCap(declaration, {
      sender: capSender(this.config.publicUrl),
      web: declarationUrl(this.config.publicUrl, declaration.id),
      severity: level?.capSeverity ?? 'Unknown',
      areas,
      supersedes,
      texts: capTexts(declaration, scheme, areas),
    });
  }

  /**
   * The Atom feed of the newest declarations, of every area or of one (a country with its subdivisions),
   * in `language` (a canonical BCP 47 tag; default DEFAULT_LANGUAGE): entries in it where their declaration
   * has it, titles and labels in the nearest language Tocsin has a catalog of.
   */
  async declarationsFeed(areaInput?: string, requested?: string): Promise<RenderedFeed> {
    const area = areaInput === undefined ? undefined : requireArea(areaInput);
    const language = requested ?? this.config.defaultLanguage;
    const declarations = await this.publicDeclarations(area?.code);
    const schemes = new Map(
      await Promise.all(
        [...new Set(declarations.map((d) => d.schemeId))].map(
          async (id) => [id, await this.schemes.get(id)] as const,
        ),
      ),
    );
    const labels = uiLanguageOf(language, uiLanguageOf(this.config.defaultLanguage, 'en'));
    const xml = renderAtomFeed(
      {
        publicUrl: this.config.publicUrl,
        selfUrl: declarationsFeedUrl(this.config.publicUrl, { area: area?.code, lang: requested }),
        title: area
          ? translate(labels, 'feeds.titleOfArea', {
              area: areaName(area.code, language),
              code: area.code,
            })
          : translate(labels, 'feeds.title'),
        language,
        titleLanguage: matchLanguage(language, [labels]) ? undefined : labels,
        levelName: (d) => {
          const level = schemes.get(d.schemeId)?.levels.find((l) => l.code === d.level.code);
          return level ? levelText(level, language).name : d.level.name;
        },
        cancelledNote: (reason) =>
          reason
            ? translate(labels, 'feeds.cancelledBecause', { reason })
            : translate(labels, 'feeds.cancelled'),
      },
      declarations,
    );
    return {
      xml,
      etag: strongEtag(xml),
      lastModified: lastChangeOf(declarations),
    };
  }

  /** The newest FEED_SIZE declarations a public feed shows (see inPublicFeed), newest first. */
  private async publicDeclarations(concerning: string | undefined): Promise<Declaration[]> {
    const found: Declaration[] = [];
    let after: KeysetPosition | undefined;
    for (let page = 0; page < FEED_PAGES && found.length < FEED_SIZE; page++) {
      // Exercises and tests are left out by the query; unissued ones (few) by inPublicFeed.
      const rows = await this.declarations.list({ concerning, limit: FEED_SIZE, after, mode: 'actual' });
      found.push(...rows.filter(inPublicFeed));
      if (rows.length < FEED_SIZE) break;
      after = rows[rows.length - 1].position;
    }
    return found.slice(0, FEED_SIZE);
  }
}
