/**
 * A shield drawn inline, so the E2EE badge looks the same everywhere: the emoji it replaced
 * depends on an emoji font and showed as an empty box where there is none.
 */
export function ShieldIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M8 1 2.5 3v4.3c0 3.4 2.3 6.4 5.5 7.7 3.2-1.3 5.5-4.3 5.5-7.7V3L8 1Zm-1 10.2L4.3 8.5l1.1-1.1L7 9l3.6-3.6 1.1 1.1L7 11.2Z"
      />
    </svg>
  );
}
