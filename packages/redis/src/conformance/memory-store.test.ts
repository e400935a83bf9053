import { createMemoryStore } from '@pasis/core';
import { describeStoreConformance } from './suite.js';

describeStoreConformance('createMemoryStore', () => createMemoryStore());
