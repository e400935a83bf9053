import type { PasisLogger } from '@pasis/core';
import type { StoreStatements, TableName } from './schema.js';

/** What an engine needs of the store's validated options. */
export interface EngineSettings {
  table: TableName;
  statements: StoreStatements;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
  logger: PasisLogger;
}
