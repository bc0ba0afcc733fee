/**
 * @weble/web: the `webserver` peer's door into the mesh. POST /auth logs a user in and binds a
 * session to a peer name; the WebSocket endpoint admits only that peer name (or it with a `~tag`)
 * with that session.
 */
export { startWebServer, sessionIdOf, type WebServer, type WebServerOptions } from './web-server.js';
export { UNAUTHORIZED_BODY, peerNameFor, type AuthResponse, type LoginAttempt, type WebUser } from './auth-handler.js';
export { authBodySchema, type AuthBody } from './auth-request.js';
export { SessionStore, type Session, type SessionStoreOptions } from './session-store.js';
export { LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
export { LoginGuard, type LoginGuardOptions } from './login-guard.js';
export { originAllowed, ownOrigin } from './origin-policy.js';
export { loadOrCreateCertificate, type TlsPair, type AutoCertificateOptions } from './tls-auto.js';
export { webConfigSchema, parseWebConfig, serverOptions, fileConnectSource, type WebConfig } from './web-config.js';
export {
  hashPassword,
  verifyPassword,
  md5Hex,
  PASSWORD_HASH_PATTERN,
  SCRYPT_PARAMS,
  PasswordInputError,
} from './password.js';
export { httpSchema, tlsFilesSchema, userSchema, ROLES, DEFAULT_ROLE, type Role } from './site-schema.js';
export {
  sessionAllowsName,
  isSessionPeerName,
  sessionUserPart,
  userPartOf,
  webSessionGrant,
  SESSION_PEER_NAME,
  WEB_SERVER_PEER,
} from './link-name.js';
export { StaticFiles, resolveStaticPath, installedUiDir, CONTENT_TYPES } from './static-files.js';
