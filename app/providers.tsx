'use client';

import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { FetchError } from '@/lib/api/fetch-json';
import { BASE_PATH, withBasePath } from '@/lib/base-path';
import { useState, type ReactNode } from 'react';
import { z } from 'zod';

// zod compiles validators with Function() when it can; the page's Content-Security-Policy forbids
// that (no eval), so in the browser it validates without compiling. The server keeps the fast path.
z.config({ jitless: true });

function makeQueryClient() {
  return new QueryClient({
    // A session that ended (logout elsewhere, expiry, a revoked view token) sends the reader to log in.
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof FetchError && error.status === 401) {
          window.location.assign(withBasePath(`/login?next=${encodeURIComponent(window.location.pathname.slice(BASE_PATH.length) + window.location.search)}`));
        }
      },
    }),
    defaultOptions: {
      queries: { staleTime: 2_000, retry: 1, refetchOnWindowFocus: true },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
