import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CensusError } from '../../schemas/fault.ts';
import type { Workspace } from '../runtime/workspace.ts';

/**
 * The desk's safety rules, kept apart from the pages:
 * - it listens on the loopback interface unless a password was set (`census serve --set-password`),
 *   stored as an scrypt hash in the workspace (mode 0600), never in clear;
 * - with a password, a signed-in session (random id in an HttpOnly, SameSite=Strict cookie) that
 *   expires after an idle period and after a fixed lifetime;
 * - every form carries a CSRF token checked on POST;
 * - security headers on every response (a strict Content-Security-Policy: no script at all, styles
 *   from the app's own files only).
 */

// ---- the host rule ------------------------------------------------------------------------------

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Loopback needs nothing; any other address needs the password to be set first. */
export function checkHostRule(host: string, passwordSet: boolean): void {
  if (isLoopback(host) || passwordSet) return;
  throw new CensusError(
    'usage',
    `The review desk listens on ${host} only once a password is set: without one, anyone who can reach that address could read the census.`,
    'Set one with `census serve --set-password --workspace DIR` (it is asked for on a sign-in page), or leave out --host to listen on 127.0.0.1 only.',
  );
}

// ---- the password file --------------------------------------------------------------------------

export interface PasswordRecord {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  keylen: number;
  salt: string;
  hash: string;
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 64 };
const MIN_PASSWORD_LENGTH = 12;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((res, rej) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? rej(err) : res(key))));
}

const scryptOptions = (r: { N: number; r: number; p: number }): ScryptOptions => ({
  N: r.N,
  r: r.r,
  p: r.p,
  maxmem: 256 * r.N * r.r,
});

export function passwordFile(ws: Workspace): string {
  return join(ws.dir, '.census', 'desk-password.json');
}

export function hasPassword(ws: Workspace): boolean {
  return existsSync(passwordFile(ws));
}

/** Hashes the password with scrypt and a random salt; the file is written 0600 and replaced atomically. */
export async function setPassword(ws: Workspace, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new CensusError(
      'usage',
      `The desk password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
      'Choose a longer one (a few words make a good password).',
    );
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, scryptOptions(SCRYPT));
  const rec: PasswordRecord = {
    algorithm: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
  const file = passwordFile(ws);
  mkdirSync(join(ws.dir, '.census'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Reads the stored hash; the desk keeps it in memory while it runs. */
export function readPassword(ws: Workspace): PasswordRecord {
  const file = passwordFile(ws);
  let rec: Partial<PasswordRecord>;
  try {
    rec = JSON.parse(readFileSync(file, 'utf8')) as Partial<PasswordRecord>;
  } catch (err) {
    throw new CensusError(
      'usage',
      `Cannot read the desk password file ${file}.`,
      'Set it again: census serve --set-password',
      {
        cause: err,
      },
    );
  }
  if (
    rec.algorithm !== 'scrypt' ||
    typeof rec.salt !== 'string' ||
    typeof rec.hash !== 'string' ||
    ![rec.N, rec.r, rec.p, rec.keylen].every((n) => Number.isInteger(n) && (n as number) > 0)
  )
    throw new CensusError('usage', `${file} is not a desk password file.`, 'Set it again: census serve --set-password');
  return rec as PasswordRecord;
}

export async function checkPassword(rec: PasswordRecord, attempt: string): Promise<boolean> {
  const want = Buffer.from(rec.hash, 'base64');
  const got = await scrypt(attempt, Buffer.from(rec.salt, 'base64'), rec.keylen, scryptOptions(rec));
  return got.length === want.length && timingSafeEqual(got, want);
}

// ---- sessions and tokens ------------------------------------------------------------------------

export const newToken = (): string => randomBytes(32).toString('base64url');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Session {
  csrf: string;
  created: number;
  lastSeen: number;
}

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 8 * 60 * 60_000;

/** Sessions live in the desk's memory only: restarting the desk signs everyone out. */
export class Sessions {
  private readonly byId = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now) {}

  create(): { id: string; csrf: string } {
    const id = newToken();
    const t = this.now();
    const s = { csrf: newToken(), created: t, lastSeen: t };
    this.byId.set(id, s);
    return { id, csrf: s.csrf };
  }

  /** The live session with this id (its idle clock restarted), or null when absent or expired. */
  get(id: string | undefined): { csrf: string } | null {
    if (!id) return null;
    const s = this.byId.get(id);
    if (!s) return null;
    const t = this.now();
    if (t - s.lastSeen > SESSION_IDLE_MS || t - s.created > SESSION_MAX_MS) {
      this.byId.delete(id);
      return null;
    }
    s.lastSeen = t;
    return { csrf: s.csrf };
  }

  end(id: string | undefined): void {
    if (id) this.byId.delete(id);
  }
}

/** Sign-in attempts: after too many failures in a window, sign-in is refused until the window passes. */
export class Throttle {
  private failures: number[] = [];
  constructor(
    private readonly now: () => number = Date.now,
    private readonly max = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}
  blocked(): boolean {
    const t = this.now();
    this.failures = this.failures.filter((f) => t - f < this.windowMs);
    return this.failures.length >= this.max;
  }
  fail(): void {
    this.failures.push(this.now());
  }
}

// ---- headers ------------------------------------------------------------------------------------

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
