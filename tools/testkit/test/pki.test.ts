import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { getTestPki, issueCertificate, writePkiFiles, type KeyAndCert } from '../src/pki.js';

const pki = getTestPki();

interface Served {
  server: Server;
  port: number;
}

async function serve(kc: KeyAndCert, extra: { requestCert?: boolean } = {}): Promise<Served> {
  const server = createServer({ key: kc.keyPem, cert: kc.certPem, ca: pki.caPem, ...extra }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.end(peer.subject?.CN ?? 'anonymous');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function close(s: Served): Promise<void> {
  s.server.closeAllConnections();
  return new Promise((resolve) => s.server.close(() => resolve()));
}

function get(port: number, host: string, opts: { cert?: string; key?: string; servername?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', ca: pki.caPem, servername: host, agent: false, ...opts, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Node's checkServerIdentity compares `host` with the subjectaltname string of a peer cert. */
function peerCertOf(kc: KeyAndCert): PeerCertificate {
  const x = new X509Certificate(kc.certPem);
  return { subject: { CN: '' }, subjectaltname: x.subjectAltName } as unknown as PeerCertificate;
}

describe('test PKI', () => {
  it('is memoised', () => {
    expect(getTestPki()).toBe(pki);
    expect(pki.caPem).toBe(pki.ca.certPem);
  });

  it.each(['server', 'wildcard', 'expired', 'wrongHost', 'client'] as const)('%s parses and is issued by the CA', (name) => {
    const ca = new X509Certificate(pki.ca.certPem);
    const leaf = new X509Certificate(pki[name].certPem);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkPrivateKey(createPrivateKey(pki[name].keyPem))).toBe(true);
    expect(Buffer.from(leaf.raw).equals(Buffer.from(pki[name].certDer))).toBe(true);
  });

  it('has a self-signed CA root', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
  });

  it('puts the expected names and validity in the server certificates', () => {
    const server = new X509Certificate(pki.server.certPem);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(new Date(server.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
    expect(new Date(new X509Certificate(pki.expired.certPem).validTo).getTime()).toBeLessThan(Date.now());
    expect(new X509Certificate(pki.client.certPem).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new X509Certificate(pki.client.certPem).subject).toBe('CN=gun-test-client');
  });

  it('verifies the wildcard for one label only', () => {
    expect(checkServerIdentity('a.example.test', peerCertOf(pki.wildcard))).toBeUndefined();
    expect(checkServerIdentity('a.b.example.test', peerCertOf(pki.wildcard))).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(checkServerIdentity('example.test', peerCertOf(pki.wildcard))).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('issues extra certificates signed by the CA', () => {
    const kc = issueCertificate({ commonName: 'extra', dnsNames: ['extra.test'], usage: 'client' });
    const x = new X509Certificate(kc.certPem);
    expect(x.checkIssued(new X509Certificate(pki.caPem))).toBe(true);
    expect(x.subjectAltName).toBe('DNS:extra.test');
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('writes PEM files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gun-pki-'));
    try {
      const files = writePkiFiles(join(dir, 'sub'));
      expect(readFileSync(files.caFile, 'utf8')).toBe(pki.caPem);
      expect(readFileSync(files.serverKeyFile, 'utf8')).toBe(pki.server.keyPem);
      expect(readFileSync(files.clientCertFile, 'utf8')).toBe(pki.client.certPem);
      expect(existsSync(files.serverCertFile) && existsSync(files.clientKeyFile)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('test PKI over real TLS', () => {
  let good: Served;
  let expired: Served;
  let wrongHost: Served;
  let mtls: Served;
  let wildcard: Served;

  beforeAll(async () => {
    [good, expired, wrongHost, mtls, wildcard] = await Promise.all([
      serve(pki.server),
      serve(pki.expired),
      serve(pki.wrongHost),
      serve(pki.server, { requestCert: true }),
      serve(pki.wildcard),
    ]);
  });
  afterAll(async () => {
    await Promise.all([good, expired, wrongHost, mtls, wildcard].map(close));
  });

  it('verifies the server certificate for 127.0.0.1 and localhost', async () => {
    await expect(get(good.port, '127.0.0.1', { servername: '' })).resolves.toBe('anonymous');
    await expect(get(good.port, 'localhost')).resolves.toBe('anonymous');
  });

  it('rejects a certificate for another host with ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    await expect(get(wrongHost.port, 'localhost')).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('rejects an expired certificate with CERT_HAS_EXPIRED', async () => {
    await expect(get(expired.port, 'localhost')).rejects.toMatchObject({ code: 'CERT_HAS_EXPIRED' });
  });

  it('verifies the wildcard certificate in a handshake for one label only', async () => {
    await expect(get(wildcard.port, 'a.example.test')).resolves.toBe('anonymous');
    await expect(get(wildcard.port, 'a.b.example.test')).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('authenticates the client certificate (mTLS)', async () => {
    await expect(get(mtls.port, 'localhost', { cert: pki.client.certPem, key: pki.client.keyPem })).resolves.toBe('gun-test-client');
  });
});
