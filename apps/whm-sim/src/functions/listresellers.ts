import { requireRoot, type Handler } from './handler.js';

/**
 * Every reseller from WHM's reseller file, whether it owns accounts or not. cPanel's handler does
 * not filter by caller; that a reseller's token is refused is an inference (the dispatcher that
 * checks ACLs is compiled), and the safer one for a console to expect.
 */
export const listresellers: Handler = (context) => {
  requireRoot(context, 'listresellers');
  return { data: { reseller: [...context.store.state.resellers] } };
};
