import { describe, expect, it } from 'vitest';
import { cpanelForm } from './form.js';

describe('cpanelForm', () => {
  it('when a name repeats, then the second is name-0 and the third name-1', () => {
    expect(
      cpanelForm([
        ['user', 'a'],
        ['user', 'b'],
        ['user', 'c'],
      ]),
    ).toEqual([
      ['user', 'a'],
      ['user-0', 'b'],
      ['user-1', 'c'],
    ]);
  });

  it('when an explicit name-0 comes after a repeated name, then the later value wins', () => {
    expect(
      cpanelForm([
        ['user', 'a'],
        ['user', 'b'],
        ['user-0', 'c'],
      ]),
    ).toEqual([
      ['user', 'a'],
      ['user-0', 'c'],
    ]);
    expect(
      cpanelForm([
        ['user-0', 'x'],
        ['user', 'a'],
        ['user', 'b'],
      ]),
    ).toEqual([
      ['user-0', 'b'],
      ['user', 'a'],
    ]);
  });

  it('when an explicit name-0 repeats, then it is renamed from its own count', () => {
    expect(
      cpanelForm([
        ['user-0', 'x'],
        ['user-0', 'y'],
      ]),
    ).toEqual([
      ['user-0', 'x'],
      ['user-0-0', 'y'],
    ]);
  });
});
