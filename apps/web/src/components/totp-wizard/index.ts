import { lazy } from 'react';

/** The wizard and its QR code library load only when a wizard is shown. */
export const TotpWizard = lazy(() => import('./totp-wizard'));
export type { TotpWizardProps } from './totp-wizard';
