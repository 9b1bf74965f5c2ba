import type { Metadata } from 'next';
import { getAccessConfig } from '@/lib/access/access-config';
import { safeNext } from '@/lib/access/login';
import { withBasePath } from '@/lib/base-path';

export const metadata: Metadata = { title: 'Log in' };

const MESSAGES: Record<string, string> = {
  invalid: 'Wrong user name or password.',
  locked: 'Too many failed logins from this address or for this user. Wait up to 15 minutes and try again.',
  busy: 'Perch is checking many logins at once. Try again in a moment.',
  'logged-out': 'You are logged out.',
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNext(typeof params.next === 'string' ? params.next : null);
  const message = typeof params.error === 'string' ? MESSAGES[params.error] : undefined;
  const passwordLogin = getAccessConfig().users.size > 0;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-border bg-surface p-6 shadow-sm">
        <h1 className="mb-1 flex items-center gap-2 text-xl font-semibold">
          <img src={withBasePath('/icon.svg')} alt="" width={24} height={24} /> Perch
        </h1>
        <p className="mb-5 text-sm text-muted">Log in to see the alerts.</p>
        {message && (
          <p
            role={params.error === 'logged-out' ? 'status' : 'alert'}
            data-testid="login-message"
            className={`mb-4 rounded border px-3 py-2 text-sm ${params.error === 'logged-out' ? 'border-border' : 'border-[var(--priority-critical)] text-[var(--priority-critical)]'}`}
          >
            {message}
          </p>
        )}
        {passwordLogin ? (
          <form method="post" action={withBasePath('/api/auth/login')} className="space-y-3">
            <input type="hidden" name="next" value={next} />
            <label className="block text-sm">
              <span className="mb-1 block font-medium">User</span>
              <input
                name="user"
                autoComplete="username"
                required
                // biome-ignore lint/a11y/noAutofocus: the page exists to take this field.
                autoFocus
                className="w-full rounded border border-border bg-bg px-3 py-2"
              />
            </label>
            <label className="block text-sm">
              <span className="mb-1 block font-medium">Password</span>
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                required
                className="w-full rounded border border-border bg-bg px-3 py-2"
              />
            </label>
            <button
              type="submit"
              className="w-full rounded bg-accent px-3 py-2 font-semibold text-accent-fg hover:opacity-90"
            >
              Log in
            </button>
          </form>
        ) : (
          <p className="text-sm" data-testid="login-other-ways">
            This Perch has no password logins. Sign in through your organisation&apos;s login in front of it, or open
            the link with a view token you were given.
          </p>
        )}
      </div>
    </main>
  );
}
