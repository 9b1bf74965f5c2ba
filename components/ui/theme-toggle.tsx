'use client';

import { useState } from 'react';
import { THEME_COOKIE, THEMES, themeClass, type Theme } from '@/lib/theme';

const LABEL: Record<Theme, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const GLYPH: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;

  const choose = () => {
    setTheme(next);
    const root = document.documentElement;
    root.classList.remove('light', 'dark');
    const cls = themeClass(next);
    if (cls) root.classList.add(cls);
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and older Safari.
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  };

  return (
    <button
      type="button"
      onClick={choose}
      title={`${LABEL[theme]} (click for ${LABEL[next].toLowerCase()})`}
      aria-label={`${LABEL[theme]}; switch to ${LABEL[next].toLowerCase()}`}
      className="flex h-8 items-center gap-1.5 rounded-md border border-border px-2.5 text-sm text-muted hover:text-fg"
    >
      <span aria-hidden>{GLYPH[theme]}</span>
      <span className="hidden sm:inline">{theme === 'system' ? 'System' : theme === 'light' ? 'Light' : 'Dark'}</span>
    </button>
  );
}
