import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff } from '../../testing/fake-bff';
import { renderApp } from '../../testing/test-utils';

describe('new password fields', () => {
  it.each([
    ['/me', 'viewer', 'New password', /^12 to 256 characters\.$/],
    ['/operators', 'admin', 'Initial password', /^Password: 12 to 256 characters\. Give it/],
  ])(
    'when %s asks for a new password, then the field holds the limits the BFF checks and says them',
    async (path, who, label, hint) => {
      installFakeBff((b) => b.signInAs(who));
      renderApp(path);

      const field = await screen.findByLabelText(label);
      expect(field).toHaveAttribute('type', 'password');
      expect(field).toHaveAttribute('autocomplete', 'new-password');
      expect(field).toBeRequired();
      expect(field).toHaveAttribute('minlength', '12');
      expect(field).toHaveAttribute('maxlength', '256');
      expect(field).toHaveAccessibleDescription(hint);
    },
  );
});
