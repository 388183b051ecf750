export { invokeAsCaller as request, answer as response } from './lib/lambda';
