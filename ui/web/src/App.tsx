import { useEffect, useState } from 'react';
import { api, type Me } from './api';
import { useLang, type Lang } from './i18n';
import { Caseload } from './pages/Caseload';
import { Facilities } from './pages/Facilities';
import { PathwayDetail } from './pages/PathwayDetail';
import { Registry } from './pages/Registry';
import { SignIn } from './pages/SignIn';
import { StartPathway } from './pages/StartPathway';
import { Stuck } from './pages/Stuck';
import { Team } from './pages/Team';

/** Hash routes carry opaque ids only: #/, #/start, #/stuck, #/facilities, #/team, #/admin (admins), #/pathways/<id>. */
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
  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return <p>{t('loading')}</p>;

  const pathway = /^\/pathways\/([A-Za-z0-9-]+)$/.exec(route)?.[1];
  const page = !me ? (
    <SignIn onSignedIn={setMe} />
  ) : pathway ? (
    <PathwayDetail id={pathway} />
  ) : route === '/start' ? (
    <StartPathway me={me} />
  ) : route === '/stuck' ? (
    <Stuck />
  ) : route === '/facilities' ? (
    <Facilities />
  ) : route === '/team' ? (
    <Team />
  ) : route === '/admin' && me.role === 'admin' ? (
    <Registry />
  ) : (
    <Caseload />
  );

  return (
    <>
      <header>
        <nav aria-label={t('title')}>
          <strong>{t('title')}</strong>
          {me && (
            <>
              <a href="#/">{t('caseload')}</a>
              <a href="#/start">{t('start')}</a>
              <a href="#/stuck">{t('stuck')}</a>
              <a href="#/facilities">{t('facilities')}</a>
              <a href="#/team">{t('teamPage')}</a>
              {me.role === 'admin' && <a href="#/admin">{t('registry')}</a>}
            </>
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
      <main>{page}</main>
    </>
  );
}
