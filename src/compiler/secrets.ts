/** Recognises credentials written into a spec, which servec refuses: they belong in Secrets. */

const CREDENTIAL_FIELD = /^(aws_?)?(access_?key(_?id)?|secret(_?access)?(_?key)?|password|passwd|token|session_?token|api_?key|credentials?_?value)$/i;

/** A field name that could only hold a credential value. */
export function credentialField(name: string): boolean {
  return CREDENTIAL_FIELD.test(name);
}

const ACCESS_KEY_ID = /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/;
const URL_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]+@/i;

/** Why a string looks like a credential value, or undefined when it does not. */
export function inlineCredential(value: string): string | undefined {
  if (ACCESS_KEY_ID.test(value)) return 'looks like an AWS access key id';
  if (URL_USERINFO.test(value)) return 'carries a user name and password in the URL';
  if (looksLikeSecretKey(value)) return 'looks like an AWS secret access key';
  return undefined;
}

/** 40 characters of base64 with mixed case and digits: the shape of an AWS secret access key. */
function looksLikeSecretKey(value: string): boolean {
  if (value.length !== 40 || !/^[A-Za-z0-9/+]{40}$/.test(value)) return false;
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}
