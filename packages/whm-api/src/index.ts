export * from './catalogue.js';
export * from './client.js';
export * from './envelope.js';
export * from './errors.js';
export * from './flags.js';
export * from './rules.js';
export * from './wire.js';
export * from './xml.js';
