import { withBasePath } from '@/lib/base-path';
import type { Viewer } from '@/lib/access/viewer';

/** Says, on every page, who is looking, and loudly when anyone at all may look. */
export function LoginOffBanner() {
  return (
    <div
      role="note"
      data-testid="login-off-banner"
      className="border-b border-[var(--live-warn)] bg-[var(--fresh-bg)] px-4 py-1.5 text-center text-sm"
    >
      <strong>Login is off:</strong> anyone who can reach this address can read these alerts. Set{' '}
      <code>PERCH_UI_USERS</code> (see the README) to require a login.
    </div>
  );
}

export function ViewerMenu({ viewer }: { viewer: Viewer }) {
  if (viewer.kind === 'anyone') return null;
  const label = viewer.kind === 'view-token' ? `View only (${viewer.name})` : viewer.name;
  return (
    <span className="flex items-center gap-2 text-sm text-muted" data-testid="viewer">
      <span
        className="alert-text max-w-40 truncate"
        title={viewer.kind === 'user' && viewer.via === 'proxy' ? 'Signed in through your organisation' : undefined}
      >
        {label}
      </span>
      {viewer.kind === 'user' && viewer.via === 'password' && (
        <form method="post" action={withBasePath('/api/auth/logout')}>
          <button type="submit" className="rounded border border-border px-2 py-0.5 text-xs hover:bg-surface-2">
            Log out
          </button>
        </form>
      )}
    </span>
  );
}
