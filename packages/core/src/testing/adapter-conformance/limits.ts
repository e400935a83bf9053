/**
 * The `maxBodyBytes` the adapter conformance suite starts adapters with: small enough to
 * exceed cheaply. An adapter must not override it (it arrives in `start(options)`); internal
 * to the suite.
 *
 * @example
 * start: (options) => listen(app(options)), // options.maxBodyBytes === CONFORMANCE_MAX_BODY_BYTES
 */
export const CONFORMANCE_MAX_BODY_BYTES = 1024;
