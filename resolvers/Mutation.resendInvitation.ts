export { invokePublic as request, answer as response } from './lib/lambda';
