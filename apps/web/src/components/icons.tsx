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

function Stroke(p: { d: string; off?: boolean | undefined }) {
  return (
    <Icon off={p.off}>
      <path
        d={p.d}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </Icon>
  );
}

export const ScreenIcon = ({ off }: IconProps) => (
  <Stroke off={off} d="M1.5 2.5h13v8.5h-13zM5.5 14h5M8 11v3M8 8.5V4.5M6.2 6.2 8 4.4l1.8 1.8" />
);
export const PeopleIcon = () => (
  <Stroke d="M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.5 14c0-2.5 2-4.5 4.5-4.5s4.5 2 4.5 4.5M10.5 2.7a2.5 2.5 0 0 1 0 4.6M12 9.8c1.5.6 2.5 2.2 2.5 4.2" />
);
export const ChatIcon = () => <Stroke d="M2 3h12v8H6.5L3.5 13.5V11H2z" />;
export const BoardIcon = () => <Stroke d="M1.5 2.5h13v9h-13zM5 14.5l3-3 3 3M4 8.5l2.5-3 2 2 3-3" />;
export const CaptionsIcon = () => (
  <Stroke d="M1.5 3h13v10h-13zM7 7a1.6 1.6 0 1 0 0 2M12 7a1.6 1.6 0 1 0 0 2" />
);
export const BreakoutIcon = () => (
  <Stroke d="M1.5 1.5h5.5v5.5h-5.5zM9 1.5h5.5v5.5H9zM1.5 9h5.5v5.5h-5.5zM9 9h5.5v5.5H9z" />
);
export const RecordIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
    <circle cx="8" cy="8" r="3" fill="currentColor" />
  </Icon>
);
export const LinkIcon = () => (
  <Stroke d="M6.5 9.5l3-3M7 4.5l1.3-1.3a2.8 2.8 0 0 1 4 4L11 8.5M9 11.5l-1.3 1.3a2.8 2.8 0 0 1-4-4L5 7.5" />
);
export const MoreIcon = () => (
  <Icon>
    <circle cx="3" cy="8" r="1.4" fill="currentColor" />
    <circle cx="8" cy="8" r="1.4" fill="currentColor" />
    <circle cx="13" cy="8" r="1.4" fill="currentColor" />
  </Icon>
);
export const LeaveIcon = () => (
  <Stroke d="M1.5 9.5c4-4 9-4 13 0l-1.8 2-2.4-1V8.6a8 8 0 0 0-4.6 0v1.9l-2.4 1z" />
);
export const BellIcon = () => (
  <Stroke d="M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11zM6.5 14a1.6 1.6 0 0 0 3 0" />
);
export const PinIcon = () => <Stroke d="M6 1.5h4M7 1.5v4L4.5 8.5h7L9 5.5v-4M8 8.5v6" />;
export const LockIcon = () => <Stroke d="M3.5 7h9v7h-9zM5.5 7V5a2.5 2.5 0 0 1 5 0v2" />;
export const GridIcon = () => (
  <Stroke d="M1.5 2.5h5.5v5h-5.5zM9 2.5h5.5v5H9zM1.5 9.5h5.5v5h-5.5zM9 9.5h5.5v5H9z" />
);
export const SpeakerViewIcon = () => (
  <Stroke d="M1.5 2h13v9h-13zM2 13.5h3.5M6.3 13.5h3.5M10.5 13.5H14" />
);
export const HandIcon = () => (
  <Stroke d="M5 8.5V3.5a1 1 0 0 1 2 0V7.5M7 7V2.5a1 1 0 0 1 2 0V7M9 7V3.5a1 1 0 0 1 2 0V8.5M11 6.5a1 1 0 0 1 2 0V10c0 2.5-2 4.5-4.5 4.5S4 13 3 11L2 8.8a1 1 0 0 1 1.7-1L5 9.5" />
);
export const SmileIcon = () => (
  <Stroke d="M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13ZM5.2 9.5a3.2 3.2 0 0 0 5.6 0M5.8 6.2h.01M10.2 6.2h.01" />
);

/** The drawn reactions (no emoji font needed), each with its colour. */
export function ReactionIcon({ name }: { name: string }) {
  switch (name) {
    case 'thumbs-up':
      return (
        <Icon>
          <path
            fill="#f5c542"
            d="M2 7h2.5v7H2zM5.5 7l2.7-5.2c.9 0 1.6.8 1.4 1.7L9.2 6h4a1.3 1.3 0 0 1 1.3 1.5l-1 5.4A1.5 1.5 0 0 1 12 14H5.5z"
          />
        </Icon>
      );
    case 'clap':
      return (
        <Icon>
          <path
            fill="#f5c542"
            d="M4.2 13.6 1.8 9.4a1 1 0 0 1 1.7-1l1.2 2-2-4.2a1 1 0 0 1 1.8-.9l2 3.8-2.3-4.6a1 1 0 0 1 1.8-.9l2.4 4.6-1.7-3.5a1 1 0 0 1 1.8-.8l2.6 5.3c1.4 2.8-.2 5.2-2.8 5.6-1.8.3-3.3-.3-4.1-1.2Z"
          />
          <path d="M11 1.5l.5 1.8M13.5 2.5l-1 1.5M14.5 5h-1.7" stroke="#f5c542" strokeWidth="1" />
        </Icon>
      );
    case 'heart':
      return (
        <Icon>
          <path
            fill="#ff5a6e"
            d="M8 14.2 2.3 8.6a3.4 3.4 0 0 1 4.8-4.8L8 4.7l.9-.9a3.4 3.4 0 0 1 4.8 4.8Z"
          />
        </Icon>
      );
    case 'laugh':
      return (
        <Icon>
          <circle cx="8" cy="8" r="6.5" fill="#f5c542" />
          <path d="M4.5 8.5h7a3.5 3.5 0 0 1-7 0Z" fill="#5a3a00" />
          <path d="M5 5.8l1.5.7M11 5.8l-1.5.7" stroke="#5a3a00" strokeWidth="1.2" />
        </Icon>
      );
    default:
      return (
        <Icon>
          <circle cx="8" cy="8" r="6.5" fill="#f5c542" />
          <circle cx="8" cy="10.6" r="1.6" fill="#5a3a00" />
          <circle cx="5.8" cy="6.2" r="0.9" fill="#5a3a00" />
          <circle cx="10.2" cy="6.2" r="0.9" fill="#5a3a00" />
        </Icon>
      );
  }
}
