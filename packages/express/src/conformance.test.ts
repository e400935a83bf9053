// The adapter conformance suite from @pasis/core/testing, on Express 5 and Express 4.
import { describeAdapterConformance } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { pasisWebhook } from './index.js';
import { EXPRESS_VERSIONS, listen } from './test-support/listen.js';

for (const [name, express] of EXPRESS_VERSIONS) {
  describeAdapterConformance(
    { describe, it, beforeAll, afterAll },
    {
      name,
      start: async (options) => {
        const app = express();
        app.use(pasisWebhook(options));
        const server = await listen(app);
        return { url: `${server.url}/webhook`, close: server.close };
      },
      startBehindParser: async (options) => {
        const app = express();
        app.use(express.json());
        app.use(pasisWebhook(options));
        const server = await listen(app);
        return { url: `${server.url}/webhook`, close: server.close };
      },
    },
  );
}
