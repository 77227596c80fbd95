export * from './ids';
export * from './errors';
export * from './http';
export * from './signaling/common';
export * from './signaling/client-messages';
export * from './signaling/server-messages';
export * from './signaling/codec';
export * from './signaling/e2ee';
