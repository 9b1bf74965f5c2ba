// The configuration a newcomer pastes into Falco and falcosidekick to point them at this server.
// The token itself is never printed: a placeholder stands where it goes.

export interface SetupSnippet {
  title: string;
  file: string;
  text: string;
}

export function setupSnippets(serverUrl: string, tokenRequired: boolean): SetupSnippet[] {
  const base = serverUrl.replace(/\/+$/, '');
  const withCredentials = (url: string) => {
    if (!tokenRequired) return url;
    const parsed = new URL(url);
    // Falco's http_output cannot send headers; libcurl turns user:password@ into basic auth.
    return `${parsed.protocol}//falco:<PERCH_INGEST_TOKEN>@${parsed.host}${parsed.pathname}`;
  };
  const falcoYaml = [
    'json_output: true',
    'json_include_output_property: true',
    'json_include_tags_property: true',
    'http_output:',
    '  enabled: true',
    `  url: "${withCredentials(`${base}/api/events`)}"`,
  ].join('\n');
  const sidekickWebhook = [
    `WEBHOOK_ADDRESS=${base}/api/events`,
    ...(tokenRequired ? ['WEBHOOK_CUSTOMHEADERS="Authorization:Bearer <PERCH_INGEST_TOKEN>"'] : []),
  ].join('\n');
  const sidekickWebui = tokenRequired ? `WEBUI_URL=${base}/?token=<PERCH_INGEST_TOKEN>` : `WEBUI_URL=${base}`;
  return [
    { title: 'Falco: send every alert to Perch', file: 'falco.yaml', text: falcoYaml },
    { title: 'or falcosidekick, webhook output', file: 'falcosidekick environment', text: sidekickWebhook },
    { title: 'or falcosidekick, in place of falcosidekick-ui', file: 'falcosidekick environment', text: sidekickWebui },
  ];
}
