import { describe, expect, it } from 'vitest';
import { refusalKeys, refusalParams, whereKeys, type RefusalWhy } from '../../machines';
import { errorCodes, errorText, numberText, refusalText, relativeDays, whereText, type ErrorCode, type Lang } from '../../ui/web/src/messages';

const langs: Lang[] = ['da', 'en'];
/** Marks a translated name, so the test sees where the UI's own dictionary was used. */
const name = (key: string) => `<${key}>`;

/** A refusal with a recognisable value for each param it carries. */
function sample(key: (typeof refusalKeys)[number]): RefusalWhy {
  const kinds = refusalParams(key);
  const params = Object.fromEntries(
    Object.entries(kinds).map(([p, kind]) => [p, p === 'stage' ? 'stay' : p === 'step' ? 'admitted' : p === 'event' ? 'hospital.admit' : kind === 'number' ? 917 : `value-of-${p}`]),
  );
  return (Object.keys(params).length ? { key, params } : { key }) as RefusalWhy;
}

describe('refusal texts in the web UI', () => {
  it.each(refusalKeys)('has a Danish and an English text for %s, naming every value it carries', (key) => {
    const why = sample(key);
    const texts = langs.map((lang) => refusalText(lang, why, name));
    for (const text of texts) {
      expect(text).not.toMatch(/\{\w+\}/);
      for (const [p, value] of Object.entries('params' in why ? why.params : {})) {
        if (p === 'event') expect(text).toContain('<hospital.admit>');
        else if (p === 'stage' || p === 'step') expect(text).toMatch(/hospital/);
        else expect(text).toContain(String(value));
      }
    }
    expect(texts[0]).not.toBe(texts[1]);
  });

  it('describes where the pathway is in the reader’s language', () => {
    const why: RefusalWhy = { key: 'not-possible-in-stage', params: { event: 'hospital.admit', stage: 'outreach', step: 'working' } };
    expect(refusalText('da', why, name)).toBe('„<hospital.admit>“ er ikke muligt, mens forløbet er i opsøgende indsats');
    expect(refusalText('en', why, name)).toBe('“<hospital.admit>” is not possible while the pathway is in outreach');
  });

  it.each(whereKeys)('has a Danish and an English description of %s', (key) => {
    const [da, en] = langs.map((lang) => whereText(lang, key));
    expect(da).toBeTruthy();
    expect(en).toBeTruthy();
    expect(da).not.toBe(key);
    expect(en).not.toBe(key);
  });
});

describe('API errors in the web UI', () => {
  it.each(Object.keys(errorCodes) as ErrorCode[])('translates %s with its params', (code) => {
    const params = Object.fromEntries(errorCodes[code].map((p, i) => [p, `value${i}`]));
    const [da, en] = langs.map((lang) => errorText(lang, { error: 'english from the server', code, params }, (k) => k));
    for (const text of [da, en]) {
      expect(text).not.toBe('english from the server');
      expect(text).not.toMatch(/\{\w+\}/);
      for (const value of Object.values(params)) expect(text).toContain(value);
    }
    expect(da).not.toBe(en);
  });

  it('translates a rejected action by its refusal key and params', () => {
    const body = { error: 'only the responsible team (outreach) may do this', code: 'not-responsible-team', params: { team: 'outreach' } };
    expect(errorText('da', body, name)).toBe('Kun det ansvarlige team (outreach) må gøre dette');
  });

  it('says days from now and numbers as each language does', () => {
    const now = Date.UTC(2026, 11, 3, 12);
    const day = 86_400_000;
    expect([-2, -1, 0, 1, 3, -5].map((d) => relativeDays('da', now + d * day, now))).toEqual(['i forgårs', 'i går', 'i dag', 'i morgen', 'om 3 dage', 'for 5 dage siden']);
    expect([1, 3].map((d) => relativeDays('en', now + d * day, now))).toEqual(['tomorrow', 'in 3 days']);
    expect([numberText('da', 4.46), numberText('da', 1234.5), numberText('en', 4.46)]).toEqual(['4,5', '1.234,5', '4.5']);
  });

  it('names the teams and staff in a refusal by their display names when it knows them', () => {
    const people = { team: (id: string) => ({ outreach: 'Opsøgende team' })[id] ?? id, staff: (id: string) => ({ kim: 'Kim Koordinator' })[id] ?? id };
    expect(errorText('da', { error: '', code: 'not-responsible-team', params: { team: 'outreach' } }, name, people)).toBe('Kun det ansvarlige team (Opsøgende team) må gøre dette');
    expect(refusalText('en', { key: 'already-coordinator', params: { coordinator: 'kim' } }, name, people)).toBe('Kim Koordinator is already the coordinator');
    expect(refusalText('en', { key: 'four-eyes', params: { requestedBy: 'lea' } }, name, people)).toBe('lea asked for this extension, so another supervisor must decide it');
  });

  it('names the field of an invalid request, and the role a request needs, in the reader’s words', () => {
    const danish = (k: string) => ({ reason: 'Årsag' })[k] ?? k;
    expect(errorText('da', { error: 'command.reason: too short', code: 'invalid-request', params: { field: 'command.reason' } }, danish)).toBe(
      'Feltet „Årsag“ er ikke udfyldt korrekt',
    );
    expect(errorText('da', { error: 'supervisors only', code: 'role-required', params: { role: 'supervisor' } }, danish)).toBe('Det kræver rollen leder');
  });

  it('shows the server’s English text when the code is unknown or missing', () => {
    expect(errorText('da', { error: 'something new', code: 'brand-new-code' }, name)).toBe('something new');
    expect(errorText('da', { error: 'no code at all' }, name)).toBe('no code at all');
  });
});
