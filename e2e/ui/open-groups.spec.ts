// The open triage groups where people look first (the overview, the kiosk), and an alert's own
// group on its page: each follows a status change.
import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

test('an alert names its group and status; the overview and kiosk list its group until it is triaged', async ({
  page,
  request,
}) => {
  const tag = uniqueTag('open-groups');
  const host = `${tag}-host`;
  const rule = `${tag} <i>rule</i>`;
  const posted = await post(
    request,
    '/api/events',
    Array.from({ length: 3 }, () => makeAlert({ rule, priority: 'Critical', hostname: host })),
  );
  expect(posted.status()).toBe(200);
  const scope = `from=1h&hostname=${encodeURIComponent(host)}`;
  const { groups } = await (await request.get(`/api/groups?${scope}`)).json();
  expect(groups).toHaveLength(1);
  const [group] = groups;
  expect(group).toMatchObject({ count: 3, fields: { rule, host }, status: { status: 'open' } });

  const { events } = await (await request.get(`/api/events?${scope}&limit=1`)).json();
  await page.goto(`/events/${events[0].id}`);
  const fact = page.getByTestId('fact-group');
  await expect(fact).toContainText('Open');
  await expect(fact).toContainText(group.key);

  await page.goto(`/?${scope}`);
  const panel = page.getByTestId('open-groups');
  await expect(panel.getByRole('link')).toHaveCount(1);
  await expect(panel).toContainText(rule);
  await expect(panel).toContainText('3');
  await panel.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/events\\?.*group=${group.key}`));

  await page.goto(`/kiosk?range=1h&hostname=${encodeURIComponent(host)}`);
  await expect(page.getByTestId('kiosk-open-groups-list')).toContainText(rule);

  const changed = await request.post('/api/groups/status', {
    data: { groups: [group.key], status: 'acknowledged', note: 'seen' },
  });
  expect(changed.status()).toBe(200);
  await page.goto(`/?${scope}`);
  await expect(page.getByText('No open groups in this range')).toBeVisible();
  await page.goto(`/events/${events[0].id}`);
  await expect(fact).toContainText('Acknowledged');
});
