import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';
import { checkIssuer } from '../hooks/validate-issuer';

describe('issuer validation', () => {
  it.each([
    ['My Host', true],
    ['"My Host"', true],
    ["'a.b_c-d'", true],
    ['', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    ['Host!', false],
    ['hôte', false],
    ['   ', false],
    ['" "', false],
    [' a ', true],
  ])('when the issuer is %j, then valid is %s', (raw, valid) => {
    expect(checkIssuer(raw).valid).toBe(valid);
  });
});

describe('issuer screen', () => {
  it('when typing, then it validates as WHM does and previews the app entry', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.issuer = 'Acme Hosting';
      b.systemIssuer = 'server.example.com';
    });
    const { user } = renderApp('/issuer');

    expect(await screen.findByTestId('issuer-current')).toHaveTextContent('Acme Hosting');
    expect(screen.getByTestId('issuer-system')).toHaveTextContent('server.example.com');
    const input = screen.getByRole('textbox', { name: 'New issuer' });
    expect(screen.getByTestId('issuer-preview')).toHaveTextContent('Acme Hosting (root)');

    await user.clear(input);
    await user.type(input, 'Bad/Name');
    expect(screen.getByRole('alert')).toHaveTextContent('not /');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    await user.clear(input);
    await user.type(input, '   ');
    expect(screen.getByRole('alert')).toHaveTextContent('Not only spaces');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(screen.getByTestId('issuer-existing-entries')).toHaveTextContent(
      'entries already in authenticator apps keep the name they were created with',
    );

    await user.clear(input);
    expect(screen.getByTestId('issuer-preview')).toHaveTextContent('server.example.com (root)');
    expect(screen.getByRole('button', { name: 'Reset to default' })).toBeEnabled();

    await user.type(input, '"Acme Cloud"');
    expect(screen.getByTestId('issuer-preview')).toHaveTextContent('Acme Cloud (root)');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Issuer set to Acme Cloud.')).toBeInTheDocument();
    expect(bff.calls('POST', '/api/servers/local/whm/twofactorauth_set_issuer')[0]?.body).toEqual({
      issuer: 'Acme Cloud',
    });
    expect(await screen.findByTestId('issuer-current')).toHaveTextContent('Acme Cloud');
  });

  it('when root has a custom issuer and the field is emptied, then the preview names the hostname', async () => {
    // As on a real WHM: for root the issuer and the system-wide issuer are the same custom value.
    installFakeBff((b) => {
      b.signInAs('admin');
      b.issuer = 'Acme Hosting';
      b.systemIssuer = 'Acme Hosting';
    });
    const { user } = renderApp('/issuer');

    await user.clear(await screen.findByRole('textbox', { name: 'New issuer' }));
    expect(await screen.findByTestId('issuer-preview')).toHaveTextContent(
      'server.example.com (root)',
    );
    expect(screen.getByTestId('issuer-preview')).not.toHaveTextContent('Acme Hosting');
  });

  it('when a viewer looks, then the editor is read-only with the reason', async () => {
    installFakeBff((b) => b.signInAs('viewer'));
    renderApp('/issuer');

    expect(await screen.findByRole('textbox', { name: 'New issuer' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveAccessibleDescription(
      'Only admins can do this.',
    );
  });
});
