/**
 * Names for what README fragments leave to the reader, used in the declarations of their
 * `<!-- fragment: … -->` markers (tests/docs/markdown-blocks.ts). Everything Pasis-specific
 * is checked against the real packages; only the reader's own code is left open.
 */

/** Your own code (orders, a mailer, an audit log): whatever the block calls on it. */
// biome-ignore lint/suspicious/noExplicitAny: the reader's code, not ours, is unknown here
type YourCode = any;
/** The Express app a fragment mounts on: `const app = express()`. */
type ExpressApp = import('express').Express;
/** An Express response, in a fragment that is a route's body. */
type ExpressResponse = import('express').Response;
/** A `pg` Pool: `new pg.Pool({ connectionString })`. */
type PgPool = import('pg').Pool;
