/** What the BFF accepts as a new password (PASSWORD_MIN_LENGTH and _MAX_LENGTH in apps/bff). */
export const NEW_PASSWORD_MIN_LENGTH = 12;
export const NEW_PASSWORD_MAX_LENGTH = 256;
export const NEW_PASSWORD_HINT = `${NEW_PASSWORD_MIN_LENGTH} to ${NEW_PASSWORD_MAX_LENGTH} characters.`;
