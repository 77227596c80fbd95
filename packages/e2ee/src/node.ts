// Node entry (`@conclave/e2ee/node`): everything from the browser-safe entry plus the
// node:crypto backend. Browser bundles import '@conclave/e2ee' and never see node:crypto.
export * from './index';
export { createNodeBackend } from './sframe/backend/node';
