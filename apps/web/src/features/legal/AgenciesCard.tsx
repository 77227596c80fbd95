import type { AgencyBody, AgencyView } from '@conclave/protocol';
import { useState } from 'react';
import type { FormEvent } from 'react';

const LEVELS: AgencyBody['level'][] = [
  'federal',
  'state',
  'local',
  'foreign_national',
  'foreign_local',
  'international',
];

/**
 * Agencies whose official email domains may register on the portal (on top of the operator's
 * domain allow-list in the server config). Legal admins add them.
 */
export function AgenciesCard(p: {
  agencies: AgencyView[];
  canAdd: boolean;
  busy: boolean;
  onAdd: (body: AgencyBody) => Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [subdivision, setSubdivision] = useState('');
  const [level, setLevel] = useState<AgencyBody['level']>('local');
  const [domains, setDomains] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void p
      .onAdd({
        name,
        country: country.trim().toUpperCase(),
        ...(subdivision.trim() ? { subdivision: subdivision.trim().toUpperCase() } : {}),
        level,
        emailDomains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
      })
      .then((ok) => {
        if (ok) {
          setName('');
          setDomains('');
        }
      });
  };
  return (
    <section className="card wide stack" aria-labelledby="agencies-title">
      <h2 id="agencies-title">Agencies</h2>
      {p.agencies.length === 0 ? (
        <p className="muted">No agencies yet: nobody can register on the portal.</p>
      ) : (
        <table className="data-table" aria-label="Agencies">
          <thead>
            <tr>
              <th>Name</th>
              <th>Jurisdiction</th>
              <th>Level</th>
              <th>Email domains</th>
            </tr>
          </thead>
          <tbody>
            {p.agencies.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>
                  {a.country}
                  {a.subdivision ? `-${a.subdivision}` : ''}
                </td>
                <td>{a.level}</td>
                <td>{a.emailDomains.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.canAdd && (
        <form className="row wrap" onSubmit={submit} aria-label="Add an agency">
          <label>
            Agency name
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label>
            Country (ISO)
            <input value={country} onChange={(e) => setCountry(e.target.value)} required />
          </label>
          <label>
            Subdivision (ISO, optional)
            <input value={subdivision} onChange={(e) => setSubdivision(e.target.value)} />
          </label>
          <label>
            Level
            <select value={level} onChange={(e) => setLevel(e.target.value as AgencyBody['level'])}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            Email domains
            <input value={domains} onChange={(e) => setDomains(e.target.value)} required />
          </label>
          <button className="button" disabled={p.busy}>
            Add agency
          </button>
        </form>
      )}
    </section>
  );
}
