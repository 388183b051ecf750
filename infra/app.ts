/**
 * CDK app entry (cdk.json):
 *   npm run synth                     # dev
 *   npm run deploy -- -c env=prod     # staging | prod
 */
import { createApp } from './cdk-app';

createApp().app.synth();
