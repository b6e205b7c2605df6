import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { usePageTitle } from '../../lib/use-page-title';

export function NotFoundRoute() {
  usePageTitle('Page not found');
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        <Link to={paths.accounts}>Go to the accounts</Link>
      </p>
    </section>
  );
}
