/**
 * Typed access to the parts of s3rver 3.7.1 that the local S3 builds on.
 * s3rver ships CommonJS without type declarations, so the shapes below are written down from its
 * sources (lib/s3rver.js, lib/models/*.js, lib/stores/filesystem.js) and pinned by the exact
 * version in package.json: a new s3rver version means re-reading those files.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { Readable } from 'node:stream';

const require = createRequire(import.meta.url);

export interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  vhostBuckets: boolean;
  resetOnClose: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}

/** The Koa context as s3rver's middleware sees it (only what this project touches). */
export interface S3Context {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  /** The raw query string, as sent. */
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  req: Readable;
  status: number;
  body: unknown;
  get(header: string): string;
  set(header: string, value: string): void;
}

export type S3Middleware = (ctx: S3Context, next: () => Promise<void>) => Promise<void>;

export interface StoredObject {
  bucket: string;
  key: string;
  content: Readable | Buffer | null;
  metadata: Record<string, string>;
}

export interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}

export interface S3rverInstance {
  /** Koa's middleware stack; the router is the last entry. */
  middleware: S3Middleware[];
  store: FilesystemStore;
  httpServer?: Server;
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

export interface S3ErrorInstance extends Error {
  code: string;
  status: number;
}

export const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rverInstance;

/** s3rver's error class: its error handler renders these as S3's XML error document. */
export const S3Error = require('s3rver/lib/models/error') as new (
  code: string,
  message: string,
  detail?: Record<string, string | number>,
) => S3ErrorInstance;

/** Holds the allow-list of request headers that s3rver keeps as object metadata. */
export const S3Object = require('s3rver/lib/models/object') as { ALLOWED_METADATA: string[] };

/** s3rver's access keys (one dummy account: S3RVER / S3RVER). */
export const AWSAccount = require('s3rver/lib/models/account') as {
  registry: Map<string, { accessKeys: Map<string, string> }>;
};
