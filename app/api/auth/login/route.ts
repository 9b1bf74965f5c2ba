// POST: log in with a PERCH_UI_USERS name and password (form or JSON); sets the session cookie.
import { loginResponse } from '@/lib/api/auth';
import { apiRoute, withApi } from '@/lib/api/with-api';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  POST: withApi((request) => loginResponse(request), { access: 'public' }),
});
