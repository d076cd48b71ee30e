// The message catalogs on disk: libs/i18n/catalogs/<namespace>/<lang>.json, every namespace found there.
// `npm run build` copies them to dist/libs/i18n/catalogs (tsconfig.build.json includes libs/**/*.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SUPPORTED_LANGUAGES } from './languages';
import { Catalog, Catalogs } from './messages';

/** The folder of namespace folders, beside src/ both in the source tree and in dist/. */
export const CATALOGS_DIRECTORY = resolve(__dirname, '..', 'catalogs');

/** Reads every namespace's catalog of every supported language; a language file may be missing, not malformed. */
export function readCatalogs(directory: string = CATALOGS_DIRECTORY): Catalogs {
  const catalogs: Record<string, Record<string, Catalog>> = {};
  const namespaces = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const namespace of namespaces) {
    catalogs[namespace] = {};
    for (const lang of SUPPORTED_LANGUAGES) {
      const path = join(directory, namespace, `${lang}.json`);
      if (!existsSync(path)) continue;
      catalogs[namespace][lang] = parseCatalog(readFileSync(path, 'utf8'), path);
    }
  }
  return catalogs;
}

function parseCatalog(text: string, path: string): Catalog {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`i18n: ${path} is not a JSON object of messages`);
  for (const [key, message] of Object.entries(parsed)) {
    if (typeof message !== 'string') throw new Error(`i18n: ${path}: "${key}" is not a string`);
  }
  return parsed as Catalog;
}
