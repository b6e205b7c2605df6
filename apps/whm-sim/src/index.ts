export {
  DEFAULT_ACCOUNTS,
  DEFAULT_HOSTNAME,
  startSimulator,
  type SimulatedAccount,
  type Simulator,
  type SimulatorOptions,
} from './simulator.js';
export { faultModes, parseFaultFlag, type FaultMode, type FaultSpec } from './faults.js';
export { seededSecret } from './seed.js';
export { totpCode } from './totp.js';
export {
  planFleet,
  startFleet,
  writeServersFile,
  type Fleet,
  type FleetOptions,
  type FleetServer,
} from './fleet.js';
export { DEFAULT_SEED_PROFILE, type SeedProfile } from './seed.js';
