import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../app/api';
import { Feedback } from '../../components/Field';
import { useAdminData } from './useAdminData';

/**
 * The account's billing-address country and subdivision (ISO 3166). The trust center checks
 * government requests against it ("target outside the requesting jurisdiction").
 */
export function LocationTab() {
  const { data, error, busy, act, notice } = useAdminData(api.location);
  const [country, setCountry] = useState('');
  const [subdivision, setSubdivision] = useState('');
  useEffect(() => {
    if (!data) return;
    setCountry(data.country ?? '');
    setSubdivision(data.subdivision ?? '');
  }, [data]);
  if (!data) return <Feedback error={error} notice={undefined} />;

  function save(e: FormEvent) {
    e.preventDefault();
    const c = country.trim().toUpperCase();
    const s = subdivision.trim().toUpperCase();
    void act(
      () => api.setLocation(c, s || null),
      `The account is now located in ${c}${s ? `-${s}` : ''}.`,
    );
  }

  return (
    <section aria-labelledby="location-title" className="stack">
      <h2 id="location-title">Location</h2>
      <p data-testid="account-location">
        {data.country
          ? `This account is located in ${data.country}${data.subdivision ? `-${data.subdivision}` : ''}.`
          : 'No location is set for this account.'}
      </p>
      <p className="muted">
        Where the account is billed. Government requests from outside this jurisdiction are flagged
        for the legal team.
      </p>
      <form className="stack" aria-label="Account location" onSubmit={save}>
        <label>
          Country (ISO 3166-1 alpha-2, e.g. US)
          <input
            value={country}
            onChange={(e) => setCountry(e.target.value)}
            required
            maxLength={2}
            pattern="[A-Za-z]{2}"
            title="Two letters, e.g. US"
            autoComplete="off"
          />
        </label>
        <label>
          Subdivision (optional, ISO 3166-2 without the country, e.g. CA)
          <input
            value={subdivision}
            onChange={(e) => setSubdivision(e.target.value)}
            maxLength={3}
            pattern="[A-Za-z0-9]{1,3}"
            title="One to three letters or digits, e.g. CA"
            autoComplete="off"
          />
        </label>
        <div className="row">
          <button className="button" type="submit" disabled={busy}>
            Save location
          </button>
        </div>
      </form>
      <Feedback error={error} notice={notice} />
    </section>
  );
}
