import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

export interface MoreMenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Why the item is disabled; shown beside it, never hidden. */
  reason?: string;
  /** A check mark: the item is the current choice (a device picker). */
  checked?: boolean;
}

/** The toolbar's More menu: a keyboard-usable menu button (later issues add items). */
export function MoreMenu({
  items,
  label = 'More',
  icon,
  className = 'tool',
  title,
  hideLabel = false,
}: {
  items: MoreMenuItem[];
  label?: string;
  /** Drawn above the label (toolbar buttons). */
  icon?: ReactNode;
  className?: string;
  title?: string;
  /** The label is the accessible name only (a small device-picker caret). */
  hideLabel?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="menu-wrap" ref={ref}>
      <button
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={hideLabel ? label : undefined}
        title={title}
        onClick={() => setOpen(!open)}
      >
        {icon}
        {hideLabel ? (
          <span aria-hidden="true">▾</span>
        ) : (
          <span className="tool-label">{label}</span>
        )}
      </button>
      {open && (
        <ul className="menu" role="menu" aria-label={label}>
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                role={item.checked === undefined ? 'menuitem' : 'menuitemradio'}
                aria-checked={item.checked}
                disabled={item.disabled}
                aria-describedby={item.reason ? `reason-${item.label}` : undefined}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.checked !== undefined && (
                  <span aria-hidden="true" className="check">
                    {item.checked ? '✓' : ''}
                  </span>
                )}
                {item.label}
              </button>
              {item.reason && <small id={`reason-${item.label}`}>{item.reason}</small>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
