import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useOperators } from '../api/get-operators';
import { AddOperatorForm } from './add-operator-form';
import { OperatorCard } from './operator-card';
import { TotpRequirement } from './totp-requirement';

export function OperatorsAdmin() {
  return (
    <div className="stack">
      <h1>Operators</h1>
      <TotpRequirement />
      <OperatorList />
      <AddOperatorForm />
    </div>
  );
}

function OperatorList() {
  const operators = useOperators();
  if (operators.isError) {
    return <ErrorPanel error={operators.error} onRetry={() => void operators.refetch()} />;
  }
  if (!operators.data) return <Loading label="Loading operators…" />;
  return (
    <section className="card stack" aria-labelledby="operators-title">
      <h2 id="operators-title">Console operators</h2>
      {/* A list of cards, not a wide table: it fits a phone without scrolling sideways. */}
      <ul className="operator-list" aria-label="Operators">
        {operators.data.operators.map((operator) => (
          <OperatorCard key={operator.id} operator={operator} />
        ))}
      </ul>
    </section>
  );
}
