/** The body limit the adapter conformance suite configures: small enough to exceed cheaply. */
export const CONFORMANCE_MAX_BODY_BYTES = 1024;
