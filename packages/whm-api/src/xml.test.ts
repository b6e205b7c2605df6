import { describe, expect, it } from 'vitest';
import { successEnvelope } from './envelope.js';
import { parseWhmXml, toWhmXml, WhmXmlError } from './xml.js';

const body = (xml: string) => xml.replace(/^<\?xml version="1\.0" \?>\n/, '');

describe('toWhmXml', () => {
  it('when an envelope is written, then the declaration comes first and children are alphabetical', () => {
    const xml = toWhmXml(
      successEnvelope('twofactorauth_get_issuer', { system_wide_issuer: 'b', issuer: 'a' }),
    );
    expect(xml).toBe(
      '<?xml version="1.0" ?>\n<result><data><issuer>a</issuer><system_wide_issuer>b</system_wide_issuer></data>' +
        '<metadata><command>twofactorauth_get_issuer</command><reason>OK</reason><result>1</result><version>1</version></metadata></result>',
    );
  });

  it('when a value holds & < > " and \', then the first four are escaped as XML::Simple does', () => {
    expect(body(toWhmXml({ reason: `a&b<c>"d'` }))).toBe(
      `<result><reason>a&amp;b&lt;c&gt;&quot;d'</reason></result>`,
    );
  });

  it('when data holds arrays, then items repeat the key and an empty array disappears', () => {
    expect(body(toWhmXml({ data: { users_modified: ['a', 'b'], child_nodes: [] } }))).toBe(
      '<result><data><users_modified>a</users_modified><users_modified>b</users_modified></data></result>',
    );
  });

  it('when values are null, "" or {}, then each is an empty element', () => {
    expect(body(toWhmXml({ data: { a: null, b: '', c: {} } }))).toBe(
      '<result><data><a></a><b></b><c></c></data></result>',
    );
  });

  it('when a map holds only maps, then it unfolds with a name child first and an own name wins', () => {
    const data = {
      root: { primary_domain: 'r.test', is_enabled: 1 },
      bob: { is_enabled: 0, primary_domain: 'b.test', name: 'kept' },
    };
    expect(body(toWhmXml({ data }))).toBe(
      '<result><data><name>kept</name><is_enabled>0</is_enabled><primary_domain>b.test</primary_domain></data>' +
        '<data><name>root</name><is_enabled>1</is_enabled><primary_domain>r.test</primary_domain></data></result>',
    );
  });

  it('when a map mixes maps and scalars, then it stays a map', () => {
    expect(body(toWhmXml({ data: { failed: { bob: 'no such user' }, n: 1 } }))).toBe(
      '<result><data><failed><bob>no such user</bob></failed><n>1</n></data></result>',
    );
  });
});

describe('parseWhmXml', () => {
  it('when the answer is read back, then scalars are strings and repeats are arrays', () => {
    const xml = toWhmXml({
      data: { users_modified: ['a', 'b'], one: ['x'], failed: {}, text: 'a&b "q"\n' },
      metadata: { result: 1 },
    });
    expect(parseWhmXml(xml)).toEqual({
      data: { users_modified: ['a', 'b'], one: 'x', failed: '', text: 'a&b "q"\n' },
      metadata: { result: '1' },
    });
  });

  it('when the XML is indented, then indentation is not read as text', () => {
    const xml =
      '<?xml version="1.0" ?>\n<result>\n  <metadata>\n    <result>0</result>\n  </metadata>\n</result>\n';
    expect(parseWhmXml(xml)).toEqual({ metadata: { result: '0' } });
  });

  it.each([
    ['not XML', 'Access denied'],
    ['a cut answer', '<?xml version="1.0" ?>\n<result><data><a>1</a>'],
    ['another root', '<html><body>login</body></html>'],
  ])('when the answer is %s, then WhmXmlError is thrown', (_label, text) => {
    expect(() => parseWhmXml(text)).toThrow(WhmXmlError);
  });
});
