import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeAlert, nextFalcoTime, post, uniqueTag } from '../fixtures/alerts';
import { collectConsoleErrors } from '../fixtures/browser';

const hex12 = () => Array.from({ length: 12 }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** Ancestry as Falco reports it: the process, its parent, then `proc.aname[N]`; deeper levels absent. */
function chain(...rootFirst: string[]): Record<string, unknown> {
  const [name, parent, ...ancestors] = [...rootFirst].reverse();
  const fields: Record<string, unknown> = {
    'proc.name': name,
    'proc.cmdline': name,
    'proc.exepath': `/usr/bin/${name}`,
    'proc.pname': parent ?? null,
    // makeAlert's default chain goes up to aname[4]; null levels above the oldest known are dropped.
    'proc.aname[2]': null,
    'proc.aname[3]': null,
    'proc.aname[4]': null,
  };
  ancestors.forEach((ancestor, i) => {
    fields[`proc.aname[${i + 2}]`] = ancestor;
  });
  return fields;
}

interface Seeded {
  tag: string;
  node: string;
  host: string;
  web: { id: string; name: string; image: string; namespace: string; pod: string };
  db: { id: string; name: string; image: string; namespace: string; pod: string };
  rules: { shadow: string; curl: string; shell: string; db: string; host: string; audit: string };
}

/**
 * Two containers on one node, host processes on another host and one audit alert without a
 * container, all named after a tag no other test uses.
 */
async function seed(page: Page): Promise<Seeded> {
  const tag = uniqueTag('ctr');
  const node = `${tag}-node`;
  const host = `${tag}-host`;
  const web = {
    id: hex12(),
    name: `${tag}-web`,
    image: `registry.example/${tag}/web`,
    namespace: `${tag}-shop`,
    pod: `${tag}-web-7d9f-x2k4p`,
  };
  const db = {
    id: hex12(),
    name: `${tag}-db`,
    image: `registry.example/${tag}/postgres`,
    namespace: `${tag}-data`,
    pod: `${tag}-db-0`,
  };
  const rules = {
    shadow: `${tag} read shadow`,
    curl: `${tag} curl in container`,
    shell: `${tag} shell spawned`,
    db: `${tag} db rule`,
    host: `${tag} host rule`,
    audit: `${tag} audit rule`,
  };
  const inContainer = (c: Seeded['web'], imageTag: string) => ({
    'container.id': c.id,
    'container.name': c.name,
    'container.image.repository': c.image,
    'container.image.tag': imageTag,
    'k8s.ns.name': c.namespace,
    'k8s.pod.name': c.pod,
  });
  const alerts = [
    ...[1, 2, 3].map(() =>
      makeAlert({
        rule: rules.shadow,
        hostname: node,
        priority: 'Warning',
        fields: { ...inContainer(web, '1.4.2'), ...chain('containerd-shim', 'bash', 'sudo', 'cat') },
      }),
    ),
    ...[1, 2].map(() =>
      makeAlert({
        rule: rules.curl,
        hostname: node,
        priority: 'Notice',
        fields: { ...inContainer(web, '1.4.2'), ...chain('containerd-shim', 'bash', 'curl') },
      }),
    ),
    makeAlert({
      rule: rules.shell,
      hostname: node,
      priority: 'Critical',
      fields: { ...inContainer(web, '1.4.2'), ...chain('nginx', 'sh') },
    }),
    ...[1, 2].map(() =>
      makeAlert({
        rule: rules.db,
        hostname: node,
        priority: 'Notice',
        fields: { ...inContainer(db, '16.2'), ...chain('postgres', 'sh') },
      }),
    ),
    // Host processes: makeAlert's default, `tmux › bash › sudo › cat` in the pseudo-container host.
    ...['Warning', 'Error', 'Warning', 'Notice'].map((priority) =>
      makeAlert({ rule: rules.host, hostname: host, priority }),
    ),
    {
      hostname: node,
      priority: 'Warning',
      rule: rules.audit,
      source: 'k8s_audit',
      tags: ['k8s'],
      time: nextFalcoTime(),
      output: `Warning K8s Operation performed by user not in allowed list of users (user=${tag}-user)`,
      output_fields: { 'ka.user.name': `${tag}-user`, 'ka.verb': 'patch', 'ka.target.namespace': web.namespace },
    },
  ];
  const response = await post(page.request, '/api/events', alerts);
  expect(response.status(), await response.text()).toBe(200);
  return { tag, node, host, web, db, rules };
}

const rowOf = (page: Page, containerId: string): Locator =>
  page.locator(`[data-testid="container-row"][data-container-id="${containerId}"]`);

test('the containers page lists every container and host with counts, image, pod and worst priority', async ({
  page,
}) => {
  const errors = collectConsoleErrors(page);
  const s = await seed(page);
  await page.goto(`/containers?from=24h&hostname=${s.node}&hostname=${s.host}`);

  const rows = page.getByTestId('container-row');
  await expect(rows.getByTestId('container-name')).toHaveText([
    s.web.name,
    `host ${s.host}`,
    s.db.name,
    'no container',
  ]);
  await expect(rows.getByTestId('container-count')).toHaveText(['6', '4', '2', '1']);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '13');
  await expect(page.getByTestId('container-total')).toHaveText('2 containers · 1 host');

  const web = rowOf(page, s.web.id);
  await expect(web.getByTestId('container-id')).toHaveText(s.web.id);
  await expect(web.getByTestId('container-image')).toHaveText(`${s.web.image}:1.4.2`);
  await expect(web.getByTestId('container-pod')).toHaveText(`${s.web.namespace}/${s.web.pod}`);
  await expect(web.getByTestId('container-worst')).toHaveText('Critical');
  await expect(web.getByTestId('container-rule')).toHaveText([s.rules.shadow, s.rules.curl, s.rules.shell]);
  await expect(rowOf(page, s.db.id).getByTestId('container-image')).toHaveText(`${s.db.image}:16.2`);
  await expect(rowOf(page, s.db.id).getByTestId('container-worst')).toHaveText('Notice');
  await expect(rowOf(page, 'host').getByTestId('container-worst')).toHaveText('Error');
  await expect(rowOf(page, 'host').getByTestId('container-id')).toHaveCount(0);

  // Each row opens its container; a host's row carries the host.
  await expect(web.getByTestId('container-name')).toHaveAttribute('href', `/containers/${s.web.id}?from=24h`);
  await expect(rowOf(page, 'host').getByTestId('container-name')).toHaveAttribute(
    'href',
    `/containers/host?from=24h&hostname=${s.host}`,
  );

  // Sorting by worst priority: most severe first, then least severe first.
  await page.getByRole('button', { name: 'Worst' }).click();
  await expect(rows.getByTestId('container-name')).toHaveText([
    s.web.name,
    `host ${s.host}`,
    'no container',
    s.db.name,
  ]);
  await page.getByRole('button', { name: 'Worst' }).click();
  await expect(rows.getByTestId('container-name').first()).toHaveText(s.db.name);

  // A top rule adds the rule filter: only the container that raised it remains.
  await web.getByTestId('container-rule').filter({ hasText: s.rules.curl }).click();
  await expect(page).toHaveURL(/[?&]rule=/);
  await expect(rows.getByTestId('container-name')).toHaveText([s.web.name]);
  await expect(rows.getByTestId('container-count')).toHaveText(['2']);
  expect(errors).toEqual([]);
});

test('a container page shows its header, its alerts and a process tree whose counts add up', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const s = await seed(page);
  await page.goto(`/containers?from=24h&hostname=${s.node}`);
  await rowOf(page, s.web.id).getByTestId('container-name').click();
  await expect(page).toHaveURL(new RegExp(`/containers/${s.web.id}\\?from=24h$`));

  const header = page.getByTestId('container-header');
  await expect(header.getByTestId('container-title')).toHaveText(s.web.name);
  await expect(header.getByTestId('header-id')).toHaveText(s.web.id);
  await expect(header.getByTestId('header-image')).toHaveText(`${s.web.image}:1.4.2`);
  await expect(header.getByTestId('header-pod')).toHaveText(`${s.web.namespace} / ${s.web.pod}`);
  await expect(header.getByTestId('header-host')).toHaveText(s.node);
  await expect(header.getByTestId('header-count')).toHaveText('6');
  await expect(header.getByTestId('header-worst')).toHaveText('Critical');

  const alerts = page.getByTestId('container-alerts');
  await expect(alerts.getByTestId('event-rule')).toHaveText([
    s.rules.shell,
    s.rules.curl,
    s.rules.curl,
    s.rules.shadow,
    s.rules.shadow,
    s.rules.shadow,
  ]);

  const tree = page.getByTestId('process-tree');
  const node = (name: string) => tree.locator(`[data-testid="tree-node"][data-name="${name}"]`);
  const expected = { 'containerd-shim': 5, bash: 5, sudo: 3, cat: 3, curl: 2, nginx: 1, sh: 1 };
  for (const [name, count] of Object.entries(expected)) {
    await expect(node(name)).toHaveAttribute('data-count', String(count));
    await expect(node(name).getByTestId('tree-count').first()).toHaveText(String(count));
  }
  // Two roots, and each process sits under its parent.
  await expect(tree.locator('[role="tree"] > [data-testid="tree-node"]')).toHaveCount(2);
  await expect(node('containerd-shim').locator('[data-name="bash"] [data-name="sudo"] [data-name="cat"]')).toHaveCount(
    1,
  );
  await expect(node('containerd-shim').locator('[data-name="bash"] > [role="group"] > [data-name="curl"]')).toHaveCount(
    1,
  );
  await expect(node('nginx').locator('[data-name="sh"]')).toHaveCount(1);

  // Clicking a process lists exactly the alerts at or below it; the tree stays whole.
  await node('sudo').getByRole('link').first().click();
  await expect(page).toHaveURL(/[?&]chain=/);
  await expect(alerts.getByTestId('event-rule')).toHaveText([s.rules.shadow, s.rules.shadow, s.rules.shadow]);
  await expect(alerts.getByTestId('event-row')).toHaveCount(3);
  await expect(node('containerd-shim')).toHaveAttribute('data-count', '5');
  await expect(node('sudo')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('tree-clear').click();
  await expect(alerts.getByTestId('event-row')).toHaveCount(6);
  expect(errors).toEqual([]);
});

test('a host row opens the host processes of that host, and the no-container row its audit alerts', async ({
  page,
}) => {
  const s = await seed(page);
  await page.goto(`/containers?from=24h&hostname=${s.node}&hostname=${s.host}`);
  await rowOf(page, 'host').getByTestId('container-name').click();
  await expect(page).toHaveURL(new RegExp(`/containers/host\\?from=24h&hostname=${s.host}$`));
  await expect(page.getByTestId('container-title')).toHaveText(`host ${s.host}`);
  await expect(page.getByTestId('header-count')).toHaveText('4');
  await expect(page.getByTestId('header-worst')).toHaveText('Error');
  await expect(page.getByTestId('container-alerts').getByTestId('event-row')).toHaveCount(4);
  await expect(page.getByTestId('process-tree').locator('[data-name="tmux"]')).toHaveAttribute('data-count', '4');

  await page.goto(`/containers?from=24h&hostname=${s.node}`);
  await rowOf(page, '(none)').getByTestId('container-name').click();
  await expect(page.getByTestId('container-title')).toHaveText('no container');
  // Alerts without a container from every host (the list's host filter is not carried along).
  await expect(
    page.getByTestId('container-alerts').getByTestId('event-rule').filter({ hasText: s.rules.audit }),
  ).toHaveCount(1);
  await expect(
    page.getByTestId('container-alerts').getByTestId('event-rule').filter({ hasText: s.rules.shadow }),
  ).toHaveCount(0);
});

test('an unknown container says so instead of showing an empty page', async ({ page }) => {
  await page.goto(`/containers/${hex12()}`);
  await expect(page).toHaveURL(/\?from=24h$/);
  await expect(page.getByTestId('header-count')).toHaveText('0');
  await expect(page.getByText('No alerts from this container match this filter in this range.')).toBeVisible();
});
