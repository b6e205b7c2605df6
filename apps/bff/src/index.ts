export { createApp, type AppDeps } from './http/app.js';
export { parseEnv, EnvError, isDemoMode, type Env } from './env.js';
export {
  startConsole,
  DEMO_OPERATORS,
  type ConsoleOptions,
  type RunningConsole,
  type Services,
} from './console.js';
export { createLogger } from './logger.js';
export { cheapHashingForTests, productionHashing } from './operators/passwords.js';
export { openDatabase, type Database } from './db/database.js';
export { AppError, type ErrorCode } from './errors.js';
export { seedDemoOperators, createCoreServices, openEnvDatabase } from './console.js';
export { loadServers, type WhmServerConfig } from './whm/servers.js';
