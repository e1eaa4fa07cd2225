/** Which report-url values the cost comment links (src/cost/report-link.ts), one row per case. */
import { describe, expect, it } from 'vitest';
import { reportLink } from '../../src/cost/report-link.js';

const ART = '/acme/flowers/actions/runs/123456/artifacts/789';

describe('the run report link', () => {
  it.each([
    { value: `https://github.com${ART}`, server: undefined, url: `https://github.com${ART}` },
    { value: `https://github.com${ART}`, server: '', url: `https://github.com${ART}` },
    { value: `https://github.com${ART}`, server: 'https://github.com/', url: `https://github.com${ART}` },
    { value: `https://GitHub.com${ART}`, server: 'https://github.com', url: `https://github.com${ART}` },
    {
      value: `https://ghe.acme.example${ART}`,
      server: 'https://ghe.acme.example',
      url: `https://ghe.acme.example${ART}`,
    },
    {
      value: `https://github.com/my-org/repo.name_2/actions/runs/1/artifacts/2`,
      server: undefined,
      url: 'https://github.com/my-org/repo.name_2/actions/runs/1/artifacts/2',
    },
  ])('links $value on $server', ({ value, server, url }) => {
    expect(reportLink(value, server)).toEqual({ url });
  });

  it.each([
    {
      value: `http://github.com${ART}`,
      server: undefined,
      why: /^it is not https; give an Actions artifact URL such as https:\/\/github.com\/<owner>/,
    },
    {
      value: `https://github.com.evil.example${ART}`,
      server: undefined,
      why: /^its host github.com.evil.example is not github.com \(GITHUB_SERVER_URL\)/,
    },
    { value: `https://github.com:8443${ART}`, server: undefined, why: /^its host github.com:8443 is not github.com/ },
    {
      value: `https://github.com${ART}`,
      server: 'https://ghe.acme.example',
      why: /^its host github.com is not ghe.acme.example/,
    },
    { value: `https://user:pw@github.com${ART}`, server: undefined, why: /^it is not an Actions artifact URL/ },
    { value: `https://github.com${ART}?x=1`, server: undefined, why: /^it is not an Actions artifact URL/ },
    { value: `https://github.com${ART}#x`, server: undefined, why: /^it is not an Actions artifact URL/ },
    { value: `https://github.com${ART}/zip`, server: undefined, why: /^it is not an Actions artifact URL/ },
    {
      value: `https://github.com/acme/flowers/actions/runs/x/artifacts/789`,
      server: undefined,
      why: /^it is not an Actions artifact URL/,
    },
    {
      value: `https://github.com/acme/flowers/actions/runs/1/artifacts/2)](https://evil.example`,
      server: undefined,
      why: /^it is not an Actions artifact URL/,
    },
    {
      value: `https://github.com/acme/fl%29owers/actions/runs/1/artifacts/2`,
      server: undefined,
      why: /^it is not an Actions artifact URL/,
    },
    {
      value: `https://github.com/-acme/flowers/actions/runs/1/artifacts/2`,
      server: undefined,
      why: /^it is not an Actions artifact URL/,
    },
    { value: `javascript:alert(1)`, server: undefined, why: /^it is not https/ },
    { value: 'not a url', server: undefined, why: /^it is not a URL; give an Actions artifact URL/ },
    { value: `https://github.com${ART}`, server: 'github.com', why: /^GITHUB_SERVER_URL "github.com" is not a URL/ },
  ])('ignores $value on $server', ({ value, server, why }) => {
    const r = reportLink(value, server);
    expect('ignored' in r && r.ignored).toMatch(why);
  });
});
