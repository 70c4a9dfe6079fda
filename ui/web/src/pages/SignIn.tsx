import { useEffect, useState } from 'react';
import { api, type Me, type SignInMethods } from '../api';
import { Problem, useLang, useTitle } from '../i18n';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useLang();
  useTitle(t('signIn'));
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  useEffect(() => {
    api.methods().then(setMethods, () => setMethods(null));
  }, []);
  return (
    <form
      className="card narrow"
      aria-label={t('signIn')}
      onSubmit={(e) => {
        e.preventDefault();
        api.signIn(id, password).then(onSignedIn, (err: Error) => setError(err));
      }}
    >
      <h1>{t('signIn')}</h1>
      {methods?.oidc && (
        <>
          {/* A full navigation: the provider's pages come next, then its redirect back. */}
          <a className="button" href={methods.oidc.login}>
            {t('signInWith', { name: methods.oidc.name })}
          </a>
          <p>{t('orLocal')}</p>
        </>
      )}
      <div className="field">
        <label htmlFor="staff-id">{t('staffId')}</label>
        <input id="staff-id" autoComplete="username" value={id} onChange={(e) => setId(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="password">{t('password')}</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </div>
      {error && <Problem error={error} />}
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}
