import { useEffect } from 'react';
import { PRODUCT_NAME } from '../config/product';

/** "Accounts · Two-factor console": each route names itself in the tab and in history. */
export function usePageTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · ${PRODUCT_NAME}`;
  }, [page]);
}
