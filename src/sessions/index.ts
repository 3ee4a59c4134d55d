export { SessionService, type SessionView } from './session-service.js';
