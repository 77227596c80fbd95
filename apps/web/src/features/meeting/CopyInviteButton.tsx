import { useState } from 'react';

export function CopyInviteButton(props: { url: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.url);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  }
  return (
    <button
      className="button secondary"
      type="button"
      onClick={() => void copy()}
      aria-live="polite"
    >
      {copied === 'copied'
        ? 'Link copied'
        : copied === 'failed'
          ? `Copy failed: ${props.url}`
          : 'Copy invite link'}
    </button>
  );
}
