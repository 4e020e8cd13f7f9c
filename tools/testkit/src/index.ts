export { chunkings, expectEventsForAllChunkings, coalesceData } from './chunking.js';
export type { ChunkableMachine, ChunkingOptions, Chunking } from './chunking.js';
export { getTestPki, issueCertificate, writePkiFiles } from './pki.js';
export type { KeyAndCert, TestPki, IssueOptions, PkiFiles } from './pki.js';
export { createDuplexPair } from './duplex.js';
export { patternBytes, startHttpOrigin, startUnixOrigin, startRawOrigin } from './origins.js';
export type { RecordedRequest, TestOrigin, HttpOriginOptions, RawOrigin } from './origins.js';
export { peerAvailable, requirePeer, startNginx } from './peers.js';
export type { PeerName, NginxPeer, NginxOptions } from './peers.js';
