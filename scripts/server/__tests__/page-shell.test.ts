import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageShell } from '../http/page-shell.js';

const viewer = {
  id: '005000000000001AAA',
  username: 'admin@x.test',
  name: 'Admin <b>',
  email: 'a@x.test',
  profileName: 'System Administrator',
};

/** The page of `viewer` on the Setup tab, with its bearer token, custom permissions and other options. */
function shellOf(
  accessToken: string,
  customPermissions: string[],
  more: Partial<Parameters<typeof pageShell>[0]> = {},
) {
  return pageShell({
    context: {
      userId: viewer.id,
      username: viewer.username,
      name: viewer.name,
      orgId: '00D000000000001AAA',
      accessToken,
      customPermissions,
      toastMs: 5000,
      tabApiName: 'Avochato_Setup',
    },
    viewer,
    switchable: [],
    tabLabel: 'Avochato Setup',
    tabApiName: 'Avochato_Setup',
    appLabel: 'Avochato',
    ...more,
  });
}

test('the page shell carries the viewing user context, the app bar and the tab', () => {
  const html = shellOf('t</script>', ['Avochato_Manage_Credentials']);

  assert.match(html, /<span class="slds-truncate" title="Avochato">Avochato<\/span>/);
  assert.match(html, /Current Page:<\/span><span class="slds-truncate" title="Avochato Setup">Avochato Setup/);
  assert.match(html, /src="\/assets\/setup-tab.js"/);
  const hashed = shellOf('t', [], {
    assets: {
      scripts: ['synthetic-shadow.AAAA1111.js', 'setup-tab.0123456789ab.js'],
      styles: 'shell.ba9876543210.css',
      preload: ['chunk.CCCC2222.js'],
    },
  });
  for (const file of ['synthetic-shadow.AAAA1111.js', 'setup-tab.0123456789ab.js', 'chunk.CCCC2222.js'])
    assert.ok(
      hashed.includes(`<link rel="modulepreload" href="/assets/${file}">`),
      `${file} starts downloading with the stylesheets`,
    );
  assert.match(
    hashed,
    /<script type="module" src="\/assets\/synthetic-shadow\.AAAA1111\.js"><\/script>\n<script type="module" src="\/assets\/setup-tab\.0123456789ab\.js"><\/script>/,
    'the scripts run in the manifest order (the polyfill before the engine)',
  );
  assert.ok(!hashed.includes('src="/assets/chunk.'), 'chunks are imported by the scripts, not run by the page');
  assert.match(hashed, /<link rel="stylesheet" href="\/assets\/shell\.ba9876543210\.css">/);
  assert.ok(!html.includes('t</script>'), 'JSON in the page cannot close the script element');
  assert.ok(html.includes('Admin &lt;b&gt;'), 'names are escaped');
});
