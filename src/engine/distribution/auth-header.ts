/** The `X-Registry-Auth` decoding, for the API layer (which may import the engine, not the registry client). */
export { authConfigFrom, decodeRegistryAuth, encodeRegistryAuth, type AuthConfig } from '../../registry/client/auth.ts';
