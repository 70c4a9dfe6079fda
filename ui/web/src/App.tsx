import { useEffect, useState } from 'react';
import { commandTypes, scopeOf, type CommandType } from '../../../machines';
import { api, type Me } from './api';
import { useConnection } from './connection';
import { useLang, type Lang } from './i18n';
import { AccessLogSearch, CaseAccessLog } from './pages/AccessLog';
import { Caseload } from './pages/Caseload';
import { Facilities } from './pages/Facilities';
import { Inbox } from './pages/Inbox';
import { PathwayDetail } from './pages/PathwayDetail';
import { Registry } from './pages/Registry';
import { SignIn } from './pages/SignIn';
import { StartPathway } from './pages/StartPathway';
import { Stuck } from './pages/Stuck';
import { Team } from './pages/Team';
import { usePoll } from './use-poll';

/**
 * Hash routes carry opaque ids only: #/, #/start, #/stuck, #/facilities, #/team, #/admin (admins),
 * #/access-log (the privacy officer), #/inbox, #/pathways/<id>, #/pathways/<id>/act/<action> (its form open),
 * #/pathways/<id>/access-log.
 */
function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#/, '') || '/';
}

export function App() {
  const { t, lang, setLang } = useLang();
  const route = useRoute();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const { trouble, signedOut } = useConnection();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, []);
  // A session that ended: the sign-in form comes back over the same page, which returns after it.
  useEffect(() => {
    if (signedOut > 0) setMe(null);
  }, [signedOut]);
  if (me === undefined) return <p>{t('loading')}</p>;

  const [, pathway, sub, act] = /^\/pathways\/([A-Za-z0-9-]+)(\/access-log|\/act\/([A-Za-z.]+))?$/.exec(route) ?? [];
  const open = commandTypes.find((c) => c === act);
  // What each role is offered follows the authorization matrix (docs/authorization.md); the API enforces it.
  const may = (c: Parameters<typeof scopeOf>[1]) => me !== null && scopeOf(me, c) !== null;
  const page = !me ? (
    <SignIn onSignedIn={setMe} />
  ) : pathway && sub === '/access-log' ? (
    <CaseAccessLog id={pathway} />
  ) : pathway ? (
    <PathwayDetail key={pathway} id={pathway} accessLog={may('access-log.case')} {...(open ? { open } : {})} />
  ) : route === '/inbox' && may('case.act') ? (
    <Inbox />
  ) : route === '/access-log' && may('access-log.all') ? (
    <AccessLogSearch />
  ) : route === '/start' ? (
    <StartPathway me={me} />
  ) : route === '/stuck' ? (
    <Stuck />
  ) : route === '/facilities' ? (
    <Facilities />
  ) : route === '/team' ? (
    <Team />
  ) : (route === '/admin' || !may('case.list')) && may('registry.write') ? (
    <Registry />
  ) : !may('case.list') && may('access-log.all') ? (
    <AccessLogSearch />
  ) : (
    <Caseload me={me} />
  );

  return (
    <>
      <header>
        <nav aria-label={t('title')}>
          <strong>{t('title')}</strong>
          {me && (
            // On a phone the links fold behind a menu button; choosing one folds them again.
            <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="nav-links" onClick={() => setMenuOpen(!menuOpen)}>
              {t('menu')}
            </button>
          )}
          {me && (
            <span id="nav-links" className={menuOpen ? 'links open' : 'links'} onClick={() => setMenuOpen(false)}>
              {may('case.act') && <InboxLink />}
              {may('case.list') && <a href="#/">{t('caseload')}</a>}
              {may('case.start') && <a href="#/start">{t('start')}</a>}
              {/* Stuck cases and the team's figures are the team's: a peer worker lists only their own cases. */}
              {may('reports.read') && <a href="#/stuck">{t('stuck')}</a>}
              {may('facility.board') && <a href="#/facilities">{t('facilities')}</a>}
              {may('reports.read') && <a href="#/team">{t('teamPage')}</a>}
              {may('registry.write') && <a href="#/admin">{t('registry')}</a>}
              {may('access-log.all') && <a href="#/access-log">{t('accessLog')}</a>}
            </span>
          )}
        </nav>
        <div className="who">
          <label htmlFor="lang">{t('language')}</label>{' '}
          <select id="lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="da">Dansk</option>
            <option value="en">English</option>
          </select>
          {me && (
            <>
              {' '}
              <span>{me.name}</span>{' '}
              <button type="button" onClick={() => api.signOut().then(() => setMe(null))}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main>
        {me && trouble && (
          <p role="alert" className="banner">
            {t('connectionTrouble')}
          </p>
        )}
        {page}
      </main>
    </>
  );
}

/** "Needs me (n)": the count follows the engine like the pages do. */
function InboxLink() {
  const { t } = useLang();
  const { data } = usePoll(() => api.inbox(), [], 15_000);
  return <a href="#/inbox">{data && data.count > 0 ? `${t('inbox')} (${data.count})` : t('inbox')}</a>;
}
