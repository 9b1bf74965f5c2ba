import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { collectConsoleErrors } from '../fixtures/browser';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

const access = SERVERS.access.url;

test('with login on, a page sends you to log in and back; logging out ends it', async ({ page, request }) => {
  const host = uniqueTag('login-ui');
  await post(request, `${access}/api/events`, makeAlert({ hostname: host, rule: `Behind login ${host}` }), {
    authorization: `Bearer ${INGEST_TOKEN}`,
  });
  await page.goto(`${access}/events?from=1h&hostname=${host}`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('User').fill(ACCESS.user);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-message')).toHaveText('Wrong user name or password.');

  await page.getByLabel('User').fill(ACCESS.user);
  await page.getByLabel('Password').fill(ACCESS.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(new RegExp(`/events\\?from=1h&hostname=${host}$`));
  await expect(page.getByTestId('event-rule')).toHaveText([`Behind login ${host}`]);
  await expect(page.getByTestId('viewer')).toContainText(ACCESS.user);
  await expect(page.getByTestId('login-off-banner')).toHaveCount(0);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByTestId('login-message')).toHaveText('You are logged out.');
  await page.goto(`${access}/events?from=1h`);
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('a wall screen opens the kiosk from a view-token link and stays live', async ({ page, request }) => {
  const host = uniqueTag('view-kiosk');
  const errors = collectConsoleErrors(page);
  await page.goto(`${access}/kiosk?hostname=${host}&view_token=${ACCESS.viewTokens.wall}`);
  await expect(page).toHaveURL(`${access}/kiosk?hostname=${host}`); // the token left the address bar
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await post(
    request,
    `${access}/api/events`,
    makeAlert({ hostname: host, rule: `On the wall ${host}`, priority: 'Critical' }),
    { authorization: `Bearer ${INGEST_TOKEN}` },
  );
  await expect(page.getByTestId('kiosk-alert-rule')).toHaveText([`On the wall ${host}`]);
  // The same browser may look at the dashboard too (view only), never log in as a user.
  await page.goto(`${access}/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('viewer')).toHaveText('View only (wall)');
  expect(errors).toEqual([]);
});

test('with login off every page says so', async ({ page }) => {
  await page.goto('/events?from=1h');
  await expect(page.getByTestId('login-off-banner')).toContainText('Login is off');
});

test('under a sub-path the dashboard and the kiosk load their assets and data from there', async ({
  page,
  request,
}) => {
  const sub = SERVERS.subpath.url;
  const host = uniqueTag('subpath-ui');
  const errors = collectConsoleErrors(page);
  await post(request, `${sub}/api/events`, makeAlert({ hostname: host, rule: `Under /perch ${host}` }));
  await page.goto(`${sub}/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('event-rule')).toHaveText([`Under /perch ${host}`]);
  await page.getByTestId('event-rule').first().click();
  await expect(page).toHaveURL(/\/perch\/events\/\d+$/);
  await expect(page.getByTestId('ancestry-name').first()).toBeVisible();

  await page.goto(`${sub}/kiosk?hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await post(
    request,
    `${sub}/api/events`,
    makeAlert({ hostname: host, rule: `Live under /perch ${host}`, priority: 'Error' }),
  );
  await expect(page.getByTestId('kiosk-alert-rule').first()).toHaveText(`Live under /perch ${host}`);
  expect(errors).toEqual([]);
});

/** A page on another site (served by the browser's router, not the network) that submits `form` at once. */
async function openHostilePage(page: import('@playwright/test').Page, form: string) {
  await page.route('http://attacker.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><body>${form}<script>document.forms[0].submit()</script></body>`,
    }),
  );
  await page.goto('http://attacker.test/');
}

async function logInThroughTheForm(page: import('@playwright/test').Page) {
  await page.goto(`${access}/login`);
  await page.getByLabel('User').fill(ACCESS.user);
  await page.getByLabel('Password').fill(ACCESS.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('viewer')).toContainText(ACCESS.user);
}

test('a page on another site can neither log the browser in nor log it out', async ({ page, context }) => {
  // Login CSRF: a text/plain form whose body is JSON, and the plain form as well.
  const json = `{"user":"${ACCESS.user}","password":"${ACCESS.password}","x":"`;
  for (const form of [
    `<form method="post" enctype="text/plain" action="${access}/api/auth/login"><input name='${json}' value='"}'></form>`,
    `<form method="post" action="${access}/api/auth/login"><input name="user" value="${ACCESS.user}"><input name="password" value="${ACCESS.password}"></form>`,
  ]) {
    await openHostilePage(page, form);
    await expect(page.locator('body')).toContainText('cross_site_request');
    expect((await context.cookies(access)).map((c) => c.name)).not.toContain('perch_session');
  }

  await logInThroughTheForm(page);
  await openHostilePage(page, `<form method="post" action="${access}/api/auth/logout"></form>`);
  await expect(page.locator('body')).toContainText('cross_site_request');
  await page.goto(`${access}/events?from=1h`);
  await expect(page.getByTestId('viewer')).toContainText(ACCESS.user);
});

test('a logged-in browser opening a view-token link loses the token from the address bar and stays the user', async ({
  page,
  context,
}) => {
  await logInThroughTheForm(page);
  await page.goto(`${access}/events?from=1h&view_token=${ACCESS.viewTokens.wall}`);
  await expect(page).toHaveURL(`${access}/events?from=1h`);
  await expect(page.getByTestId('viewer')).toContainText(ACCESS.user);
  expect((await context.cookies(access)).map((c) => c.name)).not.toContain('perch_view');
  // The page's own links do not carry it either.
  expect(await page.locator(`a[href*="view_token"]`).count()).toBe(0);
});
