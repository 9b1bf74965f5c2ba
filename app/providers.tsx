'use client';

import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { FetchError } from '@/lib/api/fetch-json';
import { preloadApi } from '@/lib/api/preload-api';
import { BASE_PATH, withBasePath } from '@/lib/base-path';
import { useState, type ReactNode } from 'react';

function makeQueryClient() {
  const client = new QueryClient({
    // A session that ended (logout elsewhere, expiry, a revoked view token) sends the reader to log in.
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof FetchError && error.status === 401) {
          window.location.assign(
            withBasePath(
              `/login?next=${encodeURIComponent(window.location.pathname.slice(BASE_PATH.length) + window.location.search)}`,
            ),
          );
        }
      },
    }),
    defaultOptions: {
      // A refused query (400: a search too broad, a bad link) is refused again: say so at once.
      queries: {
        staleTime: 2_000,
        retry: (failures, error) => failures < 1 && !(error instanceof FetchError && error.status === 400),
        refetchOnWindowFocus: true,
      },
    },
  });
  // While the server renders a page, every query the page creates has the browser start its GET
  // (`meta.url`) from the page's head, in parallel with the JavaScript rather than after hydration.
  if (typeof window === 'undefined') {
    client.getQueryCache().subscribe((event) => {
      if (event.type === 'added' && typeof event.query.meta?.url === 'string') preloadApi(event.query.meta.url);
    });
  }
  return client;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
