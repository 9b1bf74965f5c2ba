// An alert dated far ahead of its arrival is listed at its arrival; the alert page and the list say
// so, with the time Falco gave as text.
import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

test('the alert page and the alerts list mark an alert whose clock was ahead, with the time Falco gave', async ({
  page,
  request,
}) => {
  const hostname = uniqueTag('clock-ahead');
  const claimed = '2262-01-01T00:00:07Z';
  const response = await post(request, '/api/events', [
    makeAlert({ hostname, time: claimed, rule: `${hostname} from the future`, output: '<b>junk</b>' }),
    makeAlert({ hostname, rule: `${hostname} on time` }),
  ]);
  expect(response.status()).toBe(200);
  const { ids } = (await response.json()) as { ids: number[] };

  await page.goto(`/events/${ids[0]}`);
  await expect(page.getByTestId('clock-ahead')).toHaveText('clock ahead: Falco said 2262-01-01T00:00:07.000000000Z');
  await expect(page.getByTestId('alert-claimed-time-utc')).toHaveText('2262-01-01T00:00:07.000000000Z');
  // Filed under its arrival: this year, not 2262.
  await expect(page.getByTestId('alert-time-utc')).toHaveText(new RegExp(`^${new Date().getUTCFullYear()}-`));

  await page.goto(`/events/${ids[1]}`);
  await expect(page.getByTestId('alert-rule')).toHaveText(`${hostname} on time`);
  await expect(page.getByTestId('clock-ahead')).toHaveCount(0);

  await page.goto(`/events?from=24h&hostname=${hostname}`);
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(2);
  const future = page.locator(`[data-testid="event-row"][data-event-id="${ids[0]}"]`);
  await expect(future.getByTestId('row-clock-ahead')).toHaveText('clock ahead');
  await expect(future.getByTestId('row-clock-ahead')).toHaveAttribute(
    'title',
    'Falco said 2262-01-01T00:00:07.000000000Z',
  );
  await expect(
    page.locator(`[data-testid="event-row"][data-event-id="${ids[1]}"]`).getByTestId('row-clock-ahead'),
  ).toHaveCount(0);
});
