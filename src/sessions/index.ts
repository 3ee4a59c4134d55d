export { SessionService, type EndedSession, type SessionView } from './session-service.js';
