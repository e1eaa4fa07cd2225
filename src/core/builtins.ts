/**
 * Node built-ins that validate's start-up should not pay for until they are used. A static import is loaded with
 * the bundle: node:child_process alone brings 36 internal modules (net, dgram, streams) and about 4 ms, though
 * validate starts git only with --base or when .gitignore does not answer (src/adapters/local/git.ts);
 * node:worker_threads is needed only when the data hash starts its pool (src/lock/pool.ts).
 */
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import type * as Tty from 'node:tty';
import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';

const load = createRequire(import.meta.url);

/** node:child_process, loaded on first use. */
export const childProcess = (): typeof ChildProcess => load('node:child_process') as typeof ChildProcess;

/** node:crypto, loaded on first use: it brings some 30 internal modules, streams among them. */
export const crypto = (): typeof Crypto => load('node:crypto') as typeof Crypto;

/** node:tty (which loads node:net), loaded on first use: only a character device can be a terminal. */
export const tty = (): typeof Tty => load('node:tty') as typeof Tty;

/** node:worker_threads, loaded on first use. */
export const workerThreads = (): typeof WorkerThreads => load('node:worker_threads') as typeof WorkerThreads;
