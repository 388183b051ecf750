/** A message the local Cognito would have sent, as the local mailbox stores it. */
export interface OutgoingMessage {
  /** Recipient e-mail address. */
  readonly to: string;
  readonly subject: string;
  /** The full text, as Cognito's template renders it. */
  readonly text: string;
  /** The temporary password or verification code the message delivers, so scripts need not parse text. */
  readonly code: string;
  /** What the message is for. */
  readonly kind: 'invitation' | 'verification' | 'password-reset';
}

export interface StoredMessage extends OutgoingMessage {
  readonly id: string;
  /** ISO 8601. */
  readonly receivedAt: string;
}

/** Where the local Cognito hands every message it would have e-mailed. */
export type MessageSender = (message: OutgoingMessage) => Promise<void>;
