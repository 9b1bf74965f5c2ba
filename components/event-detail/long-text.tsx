'use client';

import { useState, type ReactNode } from 'react';

/**
 * Text that may be huge (a command line the size of a script): the start, then a button for the rest, so one
 * value cannot push everything else off the page. Rendered as text, never as markup.
 */
export function LongText({
  text,
  limit = 400,
  render = (shown) => shown,
}: {
  text: string;
  limit?: number;
  render?: (shown: string) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  if (text.length <= limit * 1.25) return <>{render(text)}</>;
  return (
    <>
      {render(open ? text : `${text.slice(0, limit)}…`)}
      <button
        type="button"
        onClick={() => setOpen(!open)}
        className="ml-2 whitespace-nowrap rounded border border-border px-1.5 font-sans text-[11px] text-muted hover:text-fg"
      >
        {open ? 'show less' : `show all ${text.length.toLocaleString()} characters`}
      </button>
    </>
  );
}
