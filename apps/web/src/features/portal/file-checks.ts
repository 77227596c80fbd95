import { bytes } from '../../app/legal-labels';

/**
 * What can be said about a chosen file before sending it: PDFs only, within the size limit.
 * The server decides by the file's first bytes; this only spares a pointless upload.
 */
export function checkFile(file: File, maxBytes: number): string | undefined {
  const looksPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
  if (!looksPdf) return `${file.name} is not a PDF. Only PDF documents are accepted.`;
  if (file.size > maxBytes)
    return `${file.name} is ${bytes(file.size)}; the limit is ${bytes(maxBytes)}.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return undefined;
}
