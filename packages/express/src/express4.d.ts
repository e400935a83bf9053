// The tests run against Express 4 too, installed under the alias `express4`; its types are
// those of Express (the middleware only uses what both versions share).
declare module 'express4' {
  import express from 'express';
  export default express;
}
