/**
 * @weble/web: the `webserver` peer's door into the mesh. POST /auth logs a user in and binds a
 * session to a peer name; the WebSocket endpoint admits only that peer name (or it with a `~tag`)
 * with that session. Everything of `@weble/web/site` (site.yaml sections, peer names, passwords,
 * the certificate helper), and the server itself.
 */
export * from './site.js';
export { startWebServer, sessionIdOf, type WebServer, type WebServerOptions } from './web-server.js';
export { UNAUTHORIZED_BODY, peerNameFor, type AuthResponse, type LoginAttempt, type WebUser } from './auth-handler.js';
export { authBodySchema, type AuthBody } from './auth-request.js';
export { SessionStore, type Session, type SessionStoreOptions } from './session-store.js';
export { LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
export { LoginGuard, type LoginGuardOptions } from './login-guard.js';
export { originAllowed, ownOrigin } from './origin-policy.js';
export { webConfigSchema, parseWebConfig, serverOptions, fileConnectSource, type WebConfig } from './web-config.js';
export { StaticFiles, resolveStaticPath, installedUiDir, CONTENT_TYPES } from './static-files.js';
