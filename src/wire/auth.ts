/** AuthConfig and the /auth answer, as named in the v1.43 swagger (`AuthConfig`, `SystemAuthResponse`). */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface SystemAuthResponse {
  Status: string;
  IdentityToken?: string;
}
