// The E2EE worker entry, bundled by Vite as its own module worker.
import '@conclave/client/e2ee-worker';
