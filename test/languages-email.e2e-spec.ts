// Subscribers' mail in their languages and zones (issue 14, DESIGN.md §5.2), over real SMTP: sign-up, the
// confirmation mail and page, and alerts of a declaration in en+ru+kk and of one in English alone.
import { tables } from '@tocsin/database';
import { formatLongInstant } from '@tocsin/i18n';
import { eq, sql } from 'drizzle-orm';
import { ParsedMail } from 'mailparser';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const relative = (link: string) => link.slice(PUBLIC_URL.length);
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

// January 2022, so the offsets are the ones Intl gives for that month every run (Almaty UTC+6, London GMT).
const EFFECTIVE = '2022-01-07T00:00:00+06:00';

const KZ_DECLARATION = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  effectiveAt: EFFECTIVE,
  language: 'en',
  headline: 'Critical (red) terrorism threat level across Kazakhstan',
  summary: 'Repeat attacks are possible.',
  measures: ['Vehicles are searched at checkpoints.'],
  authority: 'Anti-Terrorist Centre',
  translations: {
    ru: {
      headline: 'Критический («красный») уровень террористической опасности по всему Казахстану',
      summary: 'Возможны повторные нападения.',
      measures: ['Транспорт досматривается на блокпостах.'],
    },
    kk: {
      headline: 'Бүкіл Қазақстанда террористік қауіптің қатерлі («қызыл») деңгейі',
      summary: 'Қайталама шабуылдар болуы мүмкін.',
      measures: ['Бақылау бекеттерінде көлік тексеріледі.'],
    },
  },
};

describe('subscribers’ mail in their languages', () => {
  let smtp: SmtpSink;
  let test: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  const rowOf = async (email: string) =>
    (
      await test.db.select().from(tables.emailSubscriptions).where(eq(tables.emailSubscriptions.email, email))
    )[0];
  const count = async () =>
    (await test.db.select({ n: sql<number>`count(*)::int` }).from(tables.emailSubscriptions))[0].n;

  /** Signs up and confirms with the link of the confirmation mail, which it answers. */
  async function subscribed(
    email: string,
    body: Record<string, unknown>,
    acceptLanguage?: string,
  ): Promise<ParsedMail> {
    const request = test.http.post('/v1/email-subscriptions');
    if (acceptLanguage) void request.set('accept-language', acceptLanguage);
    await request.send({ email, ...body }).expect(202);
    const [confirmation] = await smtp.waitFor(email);
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(link) })
      .expect(200);
    return confirmation;
  }

  it('writes the confirmation mail and the pages behind its link in the subscriber’s language', async () => {
    // No language given: the sign-up's Accept-Language chooses, in canonical form.
    const accepted = await test.http
      .post('/v1/email-subscriptions')
      .set('accept-language', 'ru-RU,ru;q=0.9,en;q=0.5')
      .send({ email: 'confirm-ru@ngo.example', areas: ['KZ'] })
      .expect(202);
    expect(accepted.body).toMatchObject({ language: 'ru', timeZone: null });
    expect(await rowOf('confirm-ru@ngo.example')).toMatchObject({ language: 'ru', timeZone: null });

    const [confirmation] = await smtp.waitFor('confirm-ru@ngo.example');
    expect(confirmation.subject).toBe('Подтвердите подписку на оповещения Tocsin об уровнях угрозы');
    expect(confirmation.text).toContain('Казахстан (KZ)');
    expect(confirmation.text).toContain('ссылка действительна 7 дней');
    expect(confirmation.html).toContain('<html lang="ru">');
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);

    // The page behind the link asks in Russian, whatever the browser says.
    const question = await test.http
      .get(relative(link))
      .set('accept', 'text/html')
      .set('accept-language', 'en')
      .expect(200);
    expect(question.text).toContain('<html lang="ru">');
    expect(question.text).toContain('<h1>Подтвердите подписку на оповещения Tocsin</h1>');
    expect(question.text).toContain('<button type="submit">Подтвердить подписку</button>');
    expect(question.text).toContain('Казахстан');

    const confirmed = await test.http
      .post('/v1/email-subscriptions/confirm')
      .set('accept', 'text/html')
      .type('form')
      .send({ token: tokenOf(link) })
      .expect(200);
    expect(confirmed.text).toContain('<html lang="ru">');
    expect(confirmed.text).toContain('<h1>Подписка подтверждена</h1>');

    // A broken link knows no subscriber: its page follows the browser.
    const broken = await test.http
      .get('/v1/email-subscriptions/confirm?token=nonsense')
      .set('accept', 'text/html')
      .set('accept-language', 'kk-KZ, ru;q=0.5')
      .expect(404);
    expect(broken.text).toContain('<html lang="kk">');
    expect(broken.text).toContain('<h1>Сілтеме жұмыс істемеді</h1>');

    // A language given wins over Accept-Language, and is stored canonical; so is the zone.
    await test.http
      .post('/v1/email-subscriptions')
      .set('accept-language', 'ru')
      .send({
        email: 'confirm-kk@ngo.example',
        areas: ['KZ'],
        language: 'KK-cyrl-kz',
        timeZone: 'europe/london',
      })
      .expect(202);
    expect(await rowOf('confirm-kk@ngo.example')).toMatchObject({
      language: 'kk-Cyrl-KZ',
      timeZone: 'Europe/London',
    });
    const [kazakh] = await smtp.waitFor('confirm-kk@ngo.example');
    expect(kazakh.subject).toBe('Tocsin қауіп деңгейі туралы хабарламаларына жазылуды растаңыз');
    expect(kazakh.text).toContain('Europe/London');
  });

  it('sends a declaration in en+ru+kk to each subscriber in its language, with times in its zone', async () => {
    await subscribed('reader-ru@ngo.example', { areas: ['KZ'] }, 'ru');
    await subscribed('reader-kk@ngo.example', { areas: ['KZ'], language: 'kk' });
    await subscribed('reader-en@ngo.example', { areas: ['KZ'], language: 'en', timeZone: 'Europe/London' });

    await test.http.post('/v1/declarations').set(test.as()).send(KZ_DECLARATION).expect(201);
    const [, ru] = await smtp.waitFor('reader-ru@ngo.example', 2, 20_000);
    const [, kk] = await smtp.waitFor('reader-kk@ngo.example', 2, 20_000);
    const [, en] = await smtp.waitFor('reader-en@ngo.example', 2, 20_000);
    const at = (lang: string, zone: string) => formatLongInstant(new Date(EFFECTIVE), lang, zone);

    expect(ru.subject).toBe('Казахстан — уровень террористической опасности: критический (красный)');
    expect(ru.text).toMatch(
      /^Критический \(«красный»\) уровень террористической опасности по всему Казахстану\n\n/,
    );
    expect(ru.text).toContain('Возможны повторные нападения.');
    expect(ru.text).toContain('- Транспорт досматривается на блокпостах.');
    expect(ru.text).toContain(
      `Начало действия: ${at('ru', 'Asia/Almaty')}\nОкончание действия: до особого распоряжения\n`,
    );
    expect(ru.text).not.toContain('языке оригинала');
    expect(ru.html).toContain('<html lang="ru">');

    expect(kk.subject).toMatch(/^Қазақстан — террористік қауіп деңгейі: /);
    expect(kk.text).toMatch(/^Бүкіл Қазақстанда террористік қауіптің қатерлі/);
    expect(kk.text).toContain(`Күшіне енген уақыты: ${at('kk', 'Asia/Almaty')}\n`);
    expect(kk.html).toContain('<html lang="kk">');

    expect(en.subject).toBe('Kazakhstan — terrorism threat level CRITICAL (red)');
    expect(en.text).toMatch(/^Critical \(red\) terrorism threat level across Kazakhstan\n\n/);
    expect(en.text).toContain(`In force from: ${at('en', 'Europe/London')}\nUntil: further notice\n`);
    expect(at('en', 'Europe/London')).not.toBe(at('en', 'Asia/Almaty'));

    // The links of each mail open pages in its language.
    const manage = linkIn(ru, `${PUBLIC_URL}/v1/email-subscriptions/manage?token=`);
    const page = await test.http.get(relative(manage)).set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('<h1>Ваши оповещения Tocsin</h1>');
    const unsubscribe = linkIn(kk, `${PUBLIC_URL}/v1/email-subscriptions/unsubscribe?token=`);
    const leave = await test.http.get(relative(unsubscribe)).set('accept', 'text/html').expect(200);
    expect(leave.text).toContain('<h1>Tocsin хабарламаларынан бас тартасыз ба?</h1>');
  });

  it('gives a Russian subscriber of a declaration with no Russian text Russian labels and the original', async () => {
    await subscribed('reader-gb-ru@ngo.example', { areas: ['GB'], language: 'ru' });
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'uk-terror',
        level: 'severe',
        areas: ['GB'],
        effectiveAt: '2022-01-10T09:00:00Z',
        headline: 'UK threat level raised to SEVERE',
        summary: 'An attack is highly likely.',
        authority: 'Joint Terrorism Analysis Centre',
        translations: { kk: { headline: 'Ұлыбританиядағы қауіп деңгейі көтерілді' } },
      })
      .expect(201);
    const [, alert] = await smtp.waitFor('reader-gb-ru@ngo.example', 2, 20_000);
    const english = new Intl.DisplayNames('ru', { type: 'language' }).of('en');

    expect(alert.subject).toMatch(/^Великобритания — /);
    const [headline, note] = alert.text!.split('\n');
    expect(headline).toBe('UK threat level raised to SEVERE');
    expect(note).toBe(`Текст приведён на языке оригинала (${english}).`);
    expect(alert.text).toContain('An attack is highly likely.');
    expect(alert.text).toContain('Источник: Joint Terrorism Analysis Centre.');
    // No zone of its own: the main zone of Great Britain.
    expect(alert.text).toContain(
      `Начало действия: ${formatLongInstant(new Date('2022-01-10T09:00:00Z'), 'ru', 'Europe/London')}\n`,
    );
    expect(alert.html).toContain('<html lang="ru">');
    expect(alert.html).toContain('lang="en">UK threat level raised to SEVERE</h1>');
  });

  it('lets a subscriber change its language and zone from the manage link, and refuses bad ones', async () => {
    await subscribed('changes@ngo.example', { areas: ['KZ'], language: 'en' });
    const [{ id }] = await test.db
      .select({ id: tables.emailSubscriptions.id })
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'changes@ngo.example'));
    const fromAdmin = await test.http.get(`/v1/email-subscriptions/${id}`).set(test.as()).expect(200);
    expect(fromAdmin.body).toMatchObject({ language: 'en', timeZone: null });

    // Signing up again mails the manage link.
    await test.db
      .update(tables.emailSubscriptions)
      .set({ confirmationSentAt: sql`now() - interval '11 minutes'` })
      .where(eq(tables.emailSubscriptions.email, 'changes@ngo.example'));
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email: 'changes@ngo.example', areas: ['KZ'] })
      .expect(202);
    const [, reminder] = await smtp.waitFor('changes@ngo.example', 2);
    const manage = relative(linkIn(reminder, `${PUBLIC_URL}/v1/email-subscriptions/manage?token=`));

    const saved = await test.http
      .put(manage)
      .send({ areas: ['KZ'], language: 'ru', timeZone: 'Asia/Almaty' })
      .expect(200);
    expect(saved.body).toMatchObject({ language: 'ru', timeZone: 'Asia/Almaty' });
    // Left out, they stay as they are.
    expect(
      (
        await test.http
          .put(manage)
          .send({ areas: ['KZ'] })
          .expect(200)
      ).body,
    ).toMatchObject({
      language: 'ru',
      timeZone: 'Asia/Almaty',
    });
    for (const bad of [{ language: 'русский' }, { language: '' }, { timeZone: 'Asia/Nowhere' }]) {
      const refused = await test.http
        .put(manage)
        .send({ areas: ['GB'], ...bad })
        .expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await rowOf('changes@ngo.example')).toMatchObject({
      areas: ['KZ'],
      language: 'ru',
      timeZone: 'Asia/Almaty',
    });

    // The page's form: in the subscription's language, and an empty zone means the area's.
    const form = await test.http.get(manage).set('accept', 'text/html').expect(200);
    expect(form.text).toContain('<html lang="ru">');
    expect(form.text).toContain('<option value="ru" selected>русский</option>');
    expect(form.text).toContain('value="Asia/Almaty"');
    const posted = await test.http
      .post(manage)
      .set('accept', 'text/html')
      .type('form')
      .send('areas=KZ&scheme=&minRank=&language=kk&timeZone=')
      .expect(200);
    expect(posted.text).toContain('<html lang="kk">');
    expect(posted.text).toContain('Сақталды.');
    expect(await rowOf('changes@ngo.example')).toMatchObject({ language: 'kk', timeZone: null });
  });

  it('refuses a sign-up whose language is no BCP 47 tag or whose zone is unknown, creating nothing', async () => {
    const before = await count();
    for (const body of [
      { language: 'en_US' },
      { language: 'english please' },
      { language: '' },
      { language: ['ru'] },
      { timeZone: 'Asia/Nowhere' },
      { timeZone: 'GMT+6' },
      { timeZone: '+06:00' },
      { timeZone: 6 },
    ]) {
      const response = await test.http
        .post('/v1/email-subscriptions')
        .send({ email: 'refused@ngo.example', areas: ['KZ'], ...body })
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(response.body)).toMatch(/language|timeZone/);
    }
    expect(await count()).toBe(before);
    expect(await rowOf('refused@ngo.example')).toBeUndefined();
    expect(smtp.to('refused@ngo.example')).toEqual([]);
  });
});
