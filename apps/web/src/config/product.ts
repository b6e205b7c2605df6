/** The product's one name, as the README spells it: the header, every page title and index.html. */
export const PRODUCT_NAME = 'Two-factor console';
