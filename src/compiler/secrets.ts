/** Recognises credentials written into a spec, which servec refuses: they belong in Secrets. */

/** Field names (compared without case, '-' or '_') that could only hold a credential value. */
const CREDENTIAL_FIELDS = new Set([
  'accesskey',
  'accesskeyid',
  'awsaccesskeyid',
  'secretkey',
  'secretaccesskey',
  'awssecretaccesskey',
  'sessiontoken',
  'awssessiontoken',
  'password',
  'passwd',
  'token',
  'apikey',
  'apitoken',
  'clientsecret',
  'privatekey',
]);

/** A field name that could only hold a credential value. */
export function credentialField(name: string): boolean {
  return CREDENTIAL_FIELDS.has(name.toLowerCase().replace(/[-_]/g, ''));
}

const ACCESS_KEY_ID = /(?<![A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Z0-9])/;
// Quantifiers are bounded so that a megabyte-long value cannot make the search quadratic.
const URL_USERINFO = /[a-z][a-z0-9+.-]{0,30}:\/\/[^/@\s:]{0,256}:[^/@\s]{1,256}@/i;
/** 40 characters of base64, standing alone: the shape of an AWS secret access key. */
const SECRET_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const TOKEN_PREFIX = /\b(ghp_|gho_|github_pat_|glpat-|xox[bap]-|sk_live_)[A-Za-z0-9_]{10,}/;

/** Why a string looks like (or holds) a credential value, or undefined when it does not. */
export function inlineCredential(value: string): string | undefined {
  // Each pattern needs at least so many characters (or an @): most values are too short for any.
  if (value.length >= 20 && ACCESS_KEY_ID.test(value)) return 'looks like an AWS access key id';
  if (value.includes('@') && URL_USERINFO.test(value)) return 'carries a user name and password in a URL';
  if (value.length >= 14 && TOKEN_PREFIX.test(value)) return 'looks like an access token';
  if (value.length >= 40) for (const match of value.matchAll(SECRET_KEY)) if (looksLikeSecretKey(match[0])) return 'looks like an AWS secret access key';
  return undefined;
}

/** Mixed case and digits, and not a path: what a generated secret looks like. */
function looksLikeSecretKey(candidate: string): boolean {
  if (candidate.startsWith('/') || candidate.includes('//')) return false;
  return /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9]/.test(candidate);
}
