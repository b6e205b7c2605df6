import { roleWithArticle } from '../../../lib/roles';
import type { SignInInfo } from '../api/get-sign-in-info';

/** Demo mode: who to sign in as (and the password, when it is the printed default). */
export function DemoSignIns({ demo }: { demo: NonNullable<SignInInfo['demo']> }) {
  return (
    <section className="card stack" aria-labelledby="demo-sign-ins-title">
      <h2 id="demo-sign-ins-title">Demo sign-ins</h2>
      <p>This console runs on demo data. Sign in as:</p>
      <ul aria-label="Demo operators">
        {demo.operators.map((operator) => (
          <li key={operator.username}>
            <code>{operator.username}</code>, {roleWithArticle(operator.role)}
            {operator.password ? (
              <>
                : password <code>{operator.password}</code>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <p>
        {demo.hosted ? (
          'Other visitors use these sign-ins too; their passwords and two-factor settings cannot be changed here.'
        ) : demo.password === null ? (
          'The password is the one set in CONSOLE_DEMO_PASSWORD when the console was started.'
        ) : (
          <>
            Password: <code>{demo.password}</code>
          </>
        )}
      </p>
    </section>
  );
}
