/**
 * A test PKI generated at run time (no openssl binary, no certificate files in the repository).
 *
 * X.509 v3 certificates (RFC 5280) are built with `@peculiar/asn1-x509`, serialised to DER with
 * `@peculiar/asn1-schema`, and signed with ECDSA P-256 / SHA-256 (`ecdsa-with-SHA256`, RFC 5758
 * §3.2) by `node:crypto`. Everything is synchronous and memoised per module instance, so a test
 * file pays for key generation once.
 *
 *   gun-test-ca (self-signed root, CA:true, keyCertSign)
 *     ├── server     CN=localhost        DNS:localhost, IP:127.0.0.1, IP:::1   serverAuth
 *     ├── wildcard   CN=*.example.test   DNS:*.example.test                    serverAuth
 *     ├── expired    CN=localhost        DNS:localhost, IP:127.0.0.1           notAfter in the past
 *     ├── wrongHost  CN=wrong.example.test DNS:wrong.example.test              serverAuth
 *     └── client     CN=gun-test-client                                        clientAuth
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

/** A private key and its certificate. */
export interface KeyAndCert {
  /** The certificate, PEM (`-----BEGIN CERTIFICATE-----`). */
  certPem: string;
  /** The private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), EC P-256. */
  keyPem: string;
  /** The certificate, DER. */
  certDer: Uint8Array;
}

/** The memoised test PKI; every leaf is signed by `ca`. */
export interface TestPki {
  /** Self-signed root, `CA:true`, key usage keyCertSign + cRLSign. */
  ca: KeyAndCert;
  /** SAN DNS:localhost, IP:127.0.0.1, IP:::1; serverAuth; valid from now-1 day to now+1 year. */
  server: KeyAndCert;
  /** SAN DNS:*.example.test; serverAuth. */
  wildcard: KeyAndCert;
  /** SAN DNS:localhost, IP:127.0.0.1; notAfter one day in the past. */
  expired: KeyAndCert;
  /** SAN DNS:wrong.example.test only. */
  wrongHost: KeyAndCert;
  /** clientAuth, CN=gun-test-client. */
  client: KeyAndCert;
  /** Same as `ca.certPem`, for `ca:` options. */
  caPem: string;
}

/** Options of {@link issueCertificate}. */
export interface IssueOptions {
  commonName: string;
  dnsNames?: string[];
  /** IPv4 or IPv6 literals (`127.0.0.1`, `::1`). */
  ipAddresses?: string[];
  /** Default: now - 1 day. */
  notBefore?: Date;
  /** Default: now + 1 year. */
  notAfter?: Date;
  /** Extended key usage: serverAuth (default) or clientAuth. */
  usage?: 'server' | 'client';
}

/** Paths written by {@link writePkiFiles}. */
export interface PkiFiles {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Issuer {
  name: Name;
  key: KeyObject;
  keyId: ArrayBuffer;
}

interface Built {
  kc: KeyAndCert;
  issuer: Issuer;
}

let memo: { pki: TestPki; caIssuer: Issuer } | undefined;

function nameOf(commonName: string): Name {
  const value = new AttributeValue({ utf8String: commonName });
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID_COMMON_NAME, value })])]);
}

/** A positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function serialNumber(): ArrayBuffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return toArrayBuffer(bytes);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface CertSpec {
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  extensions: Extension[];
}

/** Builds, signs and encodes one certificate for `publicKey`, signed by `issuer` (or itself). */
function buildCertificate(spec: CertSpec, publicKey: KeyObject, issuer: Issuer | 'self', selfKey: KeyObject): Built {
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value.
  const keyId = toArrayBuffer(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
  const signer: Issuer = issuer === 'self' ? { name: spec.subject, key: selfKey, keyId } : issuer;
  const extensions = [
    ...spec.extensions,
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId)),
    extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(signer.keyId) })),
  ];
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumber(),
    signature: algorithm,
    issuer: signer.name,
    validity: new Validity({ notBefore: spec.notBefore, notAfter: spec.notAfter }),
    subject: spec.subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions(extensions),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, signer.key);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: toArrayBuffer(signature),
  });
  const certDer = new Uint8Array(AsnConvert.serialize(cert));
  const keyPem = selfKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { kc: { certPem: toPem('CERTIFICATE', certDer), keyPem, certDer }, issuer: { name: spec.subject, key: selfKey, keyId } };
}

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function createCa(): Built {
  const { publicKey, privateKey } = newKeyPair();
  const now = Date.now();
  return buildCertificate(
    {
      subject: nameOf('gun-test-ca'),
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 10 * 365 * DAY_MS),
      extensions: [
        extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
        extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      ],
    },
    publicKey,
    'self',
    privateKey,
  );
}

function issueWith(ca: Issuer, opts: IssueOptions): KeyAndCert {
  const { publicKey, privateKey } = newKeyPair();
  const now = Date.now();
  const names = [
    ...(opts.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(opts.ipAddresses ?? []).map((iPAddress) => new GeneralName({ iPAddress })),
  ];
  const extensions = [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([opts.usage === 'client' ? id_kp_clientAuth : id_kp_serverAuth])),
  ];
  if (names.length > 0) extensions.push(extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names)));
  const spec: CertSpec = {
    subject: nameOf(opts.commonName),
    notBefore: opts.notBefore ?? new Date(now - DAY_MS),
    notAfter: opts.notAfter ?? new Date(now + 365 * DAY_MS),
    extensions,
  };
  return buildCertificate(spec, publicKey, ca, privateKey).kc;
}

function load(): { pki: TestPki; caIssuer: Issuer } {
  if (memo !== undefined) return memo;
  const ca = createCa();
  const issue = (opts: IssueOptions): KeyAndCert => issueWith(ca.issuer, opts);
  const now = Date.now();
  const pki: TestPki = {
    ca: ca.kc,
    server: issue({ commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] }),
    wildcard: issue({ commonName: '*.example.test', dnsNames: ['*.example.test'] }),
    expired: issue({
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      notBefore: new Date(now - 30 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
    }),
    wrongHost: issue({ commonName: 'wrong.example.test', dnsNames: ['wrong.example.test'] }),
    client: issue({ commonName: 'gun-test-client', usage: 'client' }),
    caPem: ca.kc.certPem,
  };
  memo = { pki, caIssuer: ca.issuer };
  return memo;
}

/**
 * The test PKI: a root CA and leaf certificates for the usual TLS test cases (good server,
 * wildcard, expired, wrong host, client). Generated on first call (about 10 ms), then memoised.
 */
export function getTestPki(): TestPki {
  return load().pki;
}

/**
 * Issues a new certificate signed by the test CA (EC P-256 key, ecdsa-with-SHA256).
 * Defaults: valid from now-1 day to now+1 year, serverAuth, no SAN when no names are given.
 */
export function issueCertificate(opts: IssueOptions): KeyAndCert {
  return issueWith(load().caIssuer, opts);
}

/**
 * Writes the CA certificate and the server and client keys/certificates as PEM files into `dir`
 * (created if missing): `ca.crt`, `server.crt`, `server.key`, `client.crt`, `client.key`.
 * For peers that read files (nginx, curl). Keys are written with mode 0644 (test keys only).
 */
export function writePkiFiles(dir: string): PkiFiles {
  const pki = getTestPki();
  mkdirSync(dir, { recursive: true });
  const files: PkiFiles = {
    caFile: join(dir, 'ca.crt'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
  };
  writeFileSync(files.caFile, pki.caPem, { mode: 0o644 });
  writeFileSync(files.serverCertFile, pki.server.certPem, { mode: 0o644 });
  writeFileSync(files.serverKeyFile, pki.server.keyPem, { mode: 0o644 });
  writeFileSync(files.clientCertFile, pki.client.certPem, { mode: 0o644 });
  writeFileSync(files.clientKeyFile, pki.client.keyPem, { mode: 0o644 });
  return files;
}
