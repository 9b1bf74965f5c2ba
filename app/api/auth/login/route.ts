// POST: log in with a PERCH_UI_USERS name and password (form or JSON); sets the session cookie.
import { loginResponse } from '@/lib/access/login';
import { methodNotAllowed, withApi } from '@/lib/api/with-api';

export const POST = withApi((request) => loginResponse(request), { access: 'public' });
export const GET = methodNotAllowed(['POST']);
