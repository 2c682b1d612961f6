/** AuthConfig and the /auth answer, as named in the v1.43 swagger (`AuthConfig`, `SystemAuthResponse`). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64(`user:pass`), as config.json stores it. */
  auth?: string;
  email?: string;
  serveraddress?: string;
  /** An OAuth2 refresh token, from a login against a token server. */
  identitytoken?: string;
  /** A bearer token to send as is. */
  registrytoken?: string;
}

export interface SystemAuthResponse {
  Status: string;
  IdentityToken?: string;
}
