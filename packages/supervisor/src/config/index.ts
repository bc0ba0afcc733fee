/** Site configuration: the site.yaml schema, its loading and validation, and the driver catalog. */
export { loadSiteConfig } from './load.js';
export { validateSite, type SiteConfig, type SiteProblem, type SiteResult, type ValidateOptions } from './validate.js';
export {
  siteSchema,
  hubSchema,
  httpSchema,
  tlsFilesSchema,
  userSchema,
  driverTypeSchema,
  gatewaySchema,
  addressSchema,
  routeIdSchema,
  routeSchema,
  logicSchema,
  restartSchema,
  logsSchema,
  supervisionSchema,
  historySchema,
  type SiteDocument,
  type HubConfig,
  type HttpConfig,
  type UserConfig,
  type GatewayConfig,
  type AddressConfig,
  type RouteConfig,
  type LogicConfig,
  type SupervisionConfig,
  type LoggerConfig,
  type HistoryConfig,
} from './schema.js';
export { federationSchema, federationOptions, siteEndpointSchema, type FederationConfig } from './federation.js';
export {
  defaultDriverCatalog,
  requireDriver,
  staticDriverCatalog,
  type DriverCatalog,
  type DriverInfo,
} from './driver-catalog.js';
export { candidateNames, isPackageName } from './driver-resolution.js';
export { ConfigCode, ConfigError, type ConfigErrorCode } from './errors.js';
export { formatProblem, type Problem, type ProblemPath } from './problems.js';
export { problemsReport, validReport, printableConfig } from './report.js';
