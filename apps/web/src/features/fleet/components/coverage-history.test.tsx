import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, makeFleetServer } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

// Alone in its file: the lazily loaded chart module is fresh here, so its fallback shows first.
describe('coverage over time', () => {
  it('when the history opens, then it sums up 30 days; 7 days refetches with days=7', async () => {
    const bff = installFakeBff((bff) => {
      bff.fleetServers = [makeFleetServer('web12')];
      bff.fleetHistory = (days) => ({
        fleet: Array.from({ length: days }, (_, i) => ({
          day: `2026-11-${String(i + 1).padStart(2, '0')}`,
          accounts: 100,
          enrolled: 0,
          coverage: days === 30 ? 0.31 + (0.07 * i) / (days - 1) : 0.35 + (0.01 * i) / (days - 1),
        })),
        servers: {},
      });
      bff.signInAs('viewer');
    });
    const { user } = renderApp('/fleet');
    // The chart module arrives after its Suspense fallback: it is not in the first download.
    expect(await screen.findByText('Loading the chart…')).toBeInTheDocument();
    expect(screen.getByText('coverage went from 31% to 38% in 30 days')).toBeVisible();
    expect(await screen.findByTestId('coverage-chart')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(screen.getByRole('button', { name: '7 days' }));
    expect(await screen.findByText('coverage went from 35% to 36% in 7 days')).toBeVisible();
    expect(bff.calls('GET', '/api/fleet/history').map((r) => r.search.get('days'))).toEqual([
      '30',
      '7',
    ]);
  });

  it('when a server is chosen, then the summary and the chart follow that server', async () => {
    installFakeBff((bff) => {
      bff.fleetServers = [makeFleetServer('web12'), makeFleetServer('web40')];
      bff.fleetHistory = (days) => ({
        fleet: Array.from({ length: days }, (_, i) => ({
          day: `2026-11-${String(i + 1).padStart(2, '0')}`,
          accounts: 100,
          enrolled: 50,
          coverage: 0.5,
        })),
        servers: {
          web40: Array.from({ length: days }, (_, i) => ({
            day: `2026-11-${String(i + 1).padStart(2, '0')}`,
            coverage: i === 0 ? 0.1 : 0.2,
          })),
        },
      });
      bff.signInAs('viewer');
    });
    const { user } = renderApp('/fleet');
    expect(await screen.findByText('coverage went from 50% to 50% in 30 days')).toBeVisible();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Show' }), 'web40');
    expect(await screen.findByText(/: coverage went from 10% to 20% in 30 days$/)).toBeVisible();
  });
});
