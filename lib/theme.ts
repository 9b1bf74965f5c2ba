// Light, dark, or follow the system. Kept in a cookie so the server renders the right class on
// <html> and no inline script is needed to avoid a flash of the wrong theme.
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'perch-theme';

export function parseTheme(value: string | undefined): Theme {
  return THEMES.includes(value as Theme) ? (value as Theme) : 'system';
}

/** The class for <html>: none for "system", so the prefers-color-scheme rules apply. */
export function themeClass(theme: Theme): string | undefined {
  return theme === 'system' ? undefined : theme;
}

/** Set by proxy.ts for pages whose theme is part of their URL (the kiosk's `theme=`). */
export const THEME_OVERRIDE_HEADER = 'x-perch-theme';
