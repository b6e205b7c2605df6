/** The BFF's rule for usernames (OPERATOR_NAME_PATTERN in apps/bff), shown before anyone types. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{1,31}$/;
export const USERNAME_RULE =
  '2 to 32 characters: lower-case letters, digits, “.”, “_” or “-”, starting with a letter.';
