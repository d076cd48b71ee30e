import { emailCardHtml } from './email-card';

describe('emailCardHtml', () => {
  it('lays the body in the card, with the title and the links at its foot escaped', () => {
    const html = emailCardHtml({
      lang: 'ru',
      title: 'Сводка <1>',
      body: '<h1>Already escaped &amp; kept</h1>',
      manageUrl: 'https://a.example/manage?token=m&x="1"',
      manageLabel: 'Manage <this>',
      unsubscribeUrl: 'https://a.example/unsubscribe?token=u',
      unsubscribeLabel: 'Unsubscribe',
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="ru">/);
    expect(html).toContain('<title>Сводка &lt;1&gt;</title>');
    expect(html).toContain('<h1>Already escaped &amp; kept</h1>');
    expect(html).toContain(
      '<a href="https://a.example/manage?token=m&amp;x=&quot;1&quot;" style="color: #1a237e">Manage &lt;this&gt;</a> · ',
    );
    // The body before the foot, the foot last in the card.
    expect(html.indexOf('<h1>')).toBeLessThan(html.indexOf('Unsubscribe</a></p>'));
    expect(html).toMatch(
      /Unsubscribe<\/a><\/p>\n<\/td><\/tr><\/table>\n<\/td><\/tr><\/table>\n<\/body><\/html>$/,
    );
  });
});
