import Router from '@koa/router';
import { STYLESHEET } from './stylesheet.js';

export function staticAssets(): Router {
  const router = new Router();
  router.get('/static/tessera.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = STYLESHEET;
  });
  return router;
}
