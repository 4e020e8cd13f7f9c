export * from './chunking.js';
export * from './pki.js';
export * from './duplex.js';
export * from './origins.js';
export * from './peers.js';
