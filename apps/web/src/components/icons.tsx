import type { ReactNode } from 'react';

// Small inline icons. Emoji depend on an emoji font and show as empty boxes where there is none
// (a headless or minimal desktop), so the state indicators are drawn here.

interface IconProps {
  /** Draws a slash across the icon: the thing is off. */
  off?: boolean;
}

function Icon(p: { off?: boolean | undefined; children: ReactNode }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
    >
      {p.children}
      {p.off && (
        <path d="M2 2 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      )}
    </svg>
  );
}

export function ShieldIcon() {
  return (
    <Icon>
      <path
        fill="currentColor"
        d="M8 1 2.5 3v4.3c0 3.4 2.3 6.4 5.5 7.7 3.2-1.3 5.5-4.3 5.5-7.7V3L8 1Zm-1 10.2L4.3 8.5l1.1-1.1L7 9l3.6-3.6 1.1 1.1L7 11.2Z"
      />
    </Icon>
  );
}

export function MicIcon({ off }: IconProps) {
  return (
    <Icon off={off}>
      <rect x="5.5" y="1.5" width="5" height="8.5" rx="2.5" fill="currentColor" />
      <path
        d="M3.5 7.5a4.5 4.5 0 0 0 9 0M8 12v2.5M5.5 14.5h5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinecap="round"
      />
    </Icon>
  );
}

export function CameraIcon({ off }: IconProps) {
  return (
    <Icon off={off}>
      <rect x="1.5" y="4" width="9" height="8" rx="1.5" fill="currentColor" />
      <path d="M11 7.2 14.5 5v6L11 8.8Z" fill="currentColor" />
    </Icon>
  );
}
