import { setLanguage, t } from '../i18n';
import { countsText, outcomeText, sourceHealth, statusText } from './source-state';

const source = {
  enabled: true,
  lastFetchedAt: '2026-12-02T17:00:00Z' as string | null,
  lastStatus: 200 as number | null,
  lastError: null as string | null,
};

describe('a source’s state', () => {
  afterEach(() => setLanguage('en'));

  it('is off when disabled, whatever its last fetch said', () => {
    expect(sourceHealth({ ...source, enabled: false, lastError: 'connect ECONNREFUSED' })).toBe('off');
  });

  it('is failing without an answer or with one that is not 2xx or 3xx (a 304 is fine)', () => {
    expect(sourceHealth({ ...source, lastStatus: 500, lastError: 'HTTP 500' })).toBe('failing');
    expect(sourceHealth({ ...source, lastStatus: null, lastError: 'timed out after 10 s' })).toBe('failing');
    expect(sourceHealth({ ...source, lastStatus: 503 })).toBe('failing');
    expect(sourceHealth({ ...source, lastStatus: 304 })).toBe('ok');
    expect(sourceHealth(source)).toBe('ok');
  });

  it('needs attention when it answered but its last document was rejected or not fetched', () => {
    expect(sourceHealth({ ...source, lastStatus: 202, lastError: 'no level rule matches' })).toBe(
      'attention',
    );
    expect(sourceHealth({ ...source, lastStatus: 200, lastError: '1 document(s) not fetched' })).toBe(
      'attention',
    );
  });

  it('is waiting before its first fetch or push', () => {
    expect(sourceHealth({ ...source, lastFetchedAt: null, lastStatus: null })).toBe('waiting');
  });

  it('names the last HTTP status, and says "never" before any answer', () => {
    expect(statusText(304)).toBe('HTTP 304');
    expect(statusText(null)).toBe('never');
  });

  it('counts in English', () => {
    expect(countsText({ seen: 1, imported: 1, duplicates: 0, rejected: 0 })).toBe(
      '1 document seen: 1 imported, 0 duplicates, 0 rejected.',
    );
    expect(countsText({ seen: 1200, imported: 3, duplicates: 1, rejected: 2 })).toBe(
      '1,200 documents seen: 3 imported, 1 duplicate, 2 rejected.',
    );
  });

  it('counts in Russian with one, few and many', () => {
    setLanguage('ru');
    expect(countsText({ seen: 1, imported: 1, duplicates: 1, rejected: 1 })).toBe(
      'Получен 1 документ: 1 импортирован, 1 повтор, 1 отклонён.',
    );
    expect(countsText({ seen: 3, imported: 2, duplicates: 0, rejected: 1 })).toBe(
      'Получено 3 документа: 2 импортировано, 0 повторов, 1 отклонён.',
    );
    expect(countsText({ seen: 25, imported: 21, duplicates: 2, rejected: 2 })).toBe(
      'Получено 25 документов: 21 импортирован, 2 повтора, 2 отклонено.',
    );
    expect(outcomeText('duplicate')).toBe('повтор');
  });

  it('says "via" a source in each language, the name where the language puts it', () => {
    expect(t('web.declaration.via', { source: 'MeteoAlarm' })).toBe('via MeteoAlarm');
    expect(t('web.declaration.via', { source: 'MeteoAlarm' }, 'ru')).toBe('получено через MeteoAlarm');
    expect(t('web.declaration.via', { source: 'MeteoAlarm' }, 'kk')).toBe('MeteoAlarm арқылы алынды');
  });
});
