import { useCombobox } from 'downshift';
import { memo, useMemo, useState } from 'react';

/** More owners than this are narrowed by typing: a menu of thousands helps nobody. */
const OWNERS_LISTED = 200;

export interface OwnerComboboxProps {
  /** In the order to list them (natural: reseller2 before reseller10). */
  owners: readonly string[];
  /** The owner filtered on, or '' for any. */
  value: string;
  onChange: (owner: string) => void;
}

/** Loaded on its own (React.lazy): downshift stays out of the first download. */
export default memo(function OwnerCombobox({ owners, value, onChange }: OwnerComboboxProps) {
  const [typed, setTyped] = useState<string | null>(null);
  const items = useMemo(() => {
    const needle = (typed ?? '').trim().toLowerCase();
    const matching = needle ? owners.filter((o) => o.toLowerCase().includes(needle)) : owners;
    return matching.slice(0, OWNERS_LISTED);
  }, [owners, typed]);

  const combobox = useCombobox<string>({
    items,
    selectedItem: value === '' ? null : value,
    itemToString: (owner) => owner ?? '',
    onSelectedItemChange: ({ selectedItem }) => {
      setTyped(null);
      onChange(selectedItem ?? '');
    },
    onInputValueChange: ({ inputValue, type }) => {
      if (type !== useCombobox.stateChangeTypes.InputChange) return;
      setTyped(inputValue);
      // Emptying the box means any owner again.
      if (inputValue === '' && value !== '') onChange('');
    },
    onIsOpenChange: ({ isOpen }) => {
      if (!isOpen) setTyped(null);
    },
  });

  return (
    <div className="field combobox">
      <label {...combobox.getLabelProps()}>Owner</label>
      <div className="combobox-control">
        <input {...combobox.getInputProps({ placeholder: 'Any', name: 'owner' })} />
        {value !== '' ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Any owner"
            onClick={() => combobox.selectItem(null)}
          >
            ×
          </button>
        ) : null}
      </div>
      <ul {...combobox.getMenuProps()} className={combobox.isOpen ? 'combobox-menu' : 'hidden'}>
        {combobox.isOpen
          ? items.map((owner, index) => (
              <li
                key={owner}
                className={combobox.highlightedIndex === index ? 'highlighted' : undefined}
                {...combobox.getItemProps({ item: owner, index })}
              >
                {owner}
              </li>
            ))
          : null}
      </ul>
      {combobox.isOpen && items.length === 0 ? (
        <p className="combobox-menu muted">No such owner</p>
      ) : null}
    </div>
  );
});
