import { percentOf, type Coverage } from '../hooks/account-rows';

export function CoverageSummary({ coverage }: { coverage: Coverage }) {
  return (
    <section className="coverage card" aria-labelledby="coverage-title">
      <h2 id="coverage-title">2FA coverage</h2>
      <p className="coverage-total">
        <strong data-testid="coverage-count">
          {coverage.enabled} of {coverage.total}
        </strong>{' '}
        accounts have 2FA on (<span data-testid="coverage-percent">{coverage.percent}%</span>)
      </p>
      <meter
        min={0}
        max={100}
        value={coverage.percent}
        aria-label="Accounts with 2FA on, percent"
      />
      <details>
        <summary>By owner ({coverage.byOwner.length})</summary>
        <table className="simple-table">
          <caption className="visually-hidden">2FA coverage by owner</caption>
          <thead>
            <tr>
              <th scope="col">Owner</th>
              <th scope="col">2FA on</th>
              <th scope="col">Percent</th>
            </tr>
          </thead>
          <tbody>
            {coverage.byOwner.map((entry) => (
              <tr key={entry.owner}>
                <th scope="row">{entry.owner}</th>
                <td>
                  {entry.enabled} of {entry.total}
                </td>
                <td>{percentOf(entry.enabled, entry.total)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
