// POST: end the session (the cookie stops working at once, copies included).
import { logoutResponse } from '@/lib/access/login';
import { methodNotAllowed, withApi } from '@/lib/api/with-api';

export const POST = withApi((request) => logoutResponse(request), { access: 'public' });
export const GET = methodNotAllowed(['POST']);
