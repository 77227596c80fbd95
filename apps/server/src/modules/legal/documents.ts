import { createHash } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';

// Documents are PDF only (Zoom guide: "PDF (except emergencies)"). The type is decided by the
// file's first bytes, never by its name or the client's Content-Type.

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= PDF_MAGIC.length && PDF_MAGIC.equals(bytes.subarray(0, PDF_MAGIC.length));
}

export function checkDocument(bytes: Uint8Array, maxBytes: number): { sha256: string } {
  if (bytes.length > maxBytes) throw new ConclaveError('LEGAL_DOCUMENT_TOO_LARGE');
  if (!isPdf(bytes)) throw new ConclaveError('LEGAL_NOT_A_PDF');
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A file name safe to echo in headers and lists (no paths, quotes or control characters). */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? 'document.pdf').split(/[\\/]/).pop() ?? 'document.pdf';
  const clean = base
    .replace(/[^\w.\- ]+/g, '_')
    .slice(0, 150)
    .trim();
  return clean || 'document.pdf';
}
