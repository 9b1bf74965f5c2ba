// POST: end the session (the cookie stops working at once, copies included).
import { logoutResponse } from '@/lib/api/auth';
import { apiRoute, withApi } from '@/lib/api/with-api';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  POST: withApi((request) => logoutResponse(request), { access: 'public' }),
});
