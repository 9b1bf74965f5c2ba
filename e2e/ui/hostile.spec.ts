import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

// Every byte of an alert is attacker-influenced. One alert carries script in every field; every
// page that can show it must show it as text, run nothing and keep its layout.

const payload = (n: number) =>
  `<img src=x onerror="window.__pwned=${n}" data-pwned>"><svg onload=window.__pwned=${n} data-pwned><script>window.__pwned=${n}</script>`;

test('script in every field of an alert runs nowhere and breaks no layout', async ({ page, request }) => {
  test.setTimeout(90_000);
  const host = `${uniqueTag('xss')}${payload(1)}`;
  const rule = `Hostile rule ${payload(2)} \u202Egnp.exe\u202C javascript:window.__pwned=3`;
  const containerId = uniqueTag('c').slice(0, 12);
  const alert = makeAlert({
    hostname: host,
    rule,
    priority: 'Critical',
    source: `syscall${payload(4)}`,
    tags: [`T1059${payload(5)}`, 'mitre_execution', `javascript:alert(6)`],
    output: `${payload(7)} \u0007\u001b[31m ${'A'.repeat(100_000)}`,
    fields: {
      'container.id': containerId,
      'container.name': `web${payload(8)}`,
      'container.image.repository': `repo${payload(9)}`,
      'k8s.ns.name': `ns${payload(10)}`,
      'k8s.pod.name': `pod${payload(11)}`,
      'proc.name': `sh${payload(12)}`,
      'proc.cmdline': `sh -c '${payload(13)}' ${'x'.repeat(20_000)}`,
      'proc.aname[2]': `sudo${payload(14)}`,
      'user.name': `root${payload(15)}`,
      'fd.name': `/tmp/${payload(16)}`,
      [`custom.${payload(17)}`]: payload(18),
      ['__proto__']: { polluted: payload(19) },
      constructor: payload(20),
    },
  });
  const response = await post(request, '/api/events', alert);
  expect(response.status()).toBe(200);
  const [id] = ((await response.json()) as { ids: number[] }).ids;

  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      w.__violations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
      ),
    );
  });
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });

  const hostQuery = `from=1h&hostname=${encodeURIComponent(host)}`;
  const pages = [
    `/?${hostQuery}`,
    `/events?${hostQuery}`,
    `/events?${hostQuery}&view=tree`,
    `/events/${id}`,
    `/rules?${hostQuery}`,
    `/rules/${encodeURIComponent(rule)}?${hostQuery}`,
    `/containers?${hostQuery}`,
    `/containers/${containerId}?${hostQuery}`,
    `/kiosk?${hostQuery}&minPriority=Debug`,
  ];
  for (const path of pages) {
    await page.goto(path);
    // The payload is on every one of these pages (a rule, a host, a process name…), as text.
    await expect(page.getByText('<img src=x onerror=', { exact: false }).first(), path).toBeVisible();
    await page.waitForTimeout(300); // let charts and lazy panels render
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      injected: document.querySelectorAll('[data-pwned], img[src="x"], svg[onload]').length,
      violations: (window as unknown as { __violations: string[] }).__violations,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      title: document.title,
    }));
    expect(state.pwned, path).toBeUndefined();
    expect(state.injected, path).toBe(0);
    expect(state.violations, path).toEqual([]);
    expect(state.overflow, `${path} is wider than the window`).toBeLessThanOrEqual(0);
  }
  // Hostile keys are ordinary keys in the stored alert.
  const detail = (await (await request.get(`/api/events/${id}`)).json()) as { output_fields: Record<string, unknown> };
  expect(Object.keys(detail.output_fields)).toEqual(
    expect.arrayContaining(['__proto__', 'constructor', `custom.${payload(17)}`]),
  );
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
