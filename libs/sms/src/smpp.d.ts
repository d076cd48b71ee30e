// The part of the `smpp` package (0.5.1, plain JavaScript) that Tocsin uses: the client and server sessions, PDUs
// and the status codes. A PDU's fields are those of the SMPP specification, by their spec names.
declare module 'smpp' {
  import { EventEmitter } from 'node:events';
  import { Server as NetServer, Socket } from 'node:net';

  /** A short message as the package decodes it (by data_coding), with the UDH's information elements apart. */
  export interface DecodedMessage {
    message: string | Buffer;
    udh?: Buffer[];
  }

  export interface PduFields {
    command_status?: number;
    sequence_number?: number;
    system_id?: string;
    password?: string;
    system_type?: string;
    interface_version?: number;
    source_addr_ton?: number;
    source_addr_npi?: number;
    source_addr?: string;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    esm_class?: number;
    registered_delivery?: number;
    data_coding?: number | null;
    short_message?: Buffer | string | DecodedMessage;
    message_id?: string;
    receipted_message_id?: string;
    message_state?: number;
    message_payload?: Buffer | DecodedMessage;
  }

  export class PDU implements PduFields {
    constructor(command: string, options?: PduFields);
    /** Parses a whole PDU (length included), as read from the wire. */
    constructor(buffer: Buffer);
    command: string;
    command_id: number;
    command_length: number;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    source_addr_ton?: number;
    source_addr_npi?: number;
    source_addr?: string;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    esm_class?: number;
    registered_delivery?: number;
    data_coding?: number | null;
    short_message?: Buffer | string | DecodedMessage;
    message_id?: string;
    receipted_message_id?: string;
    message_state?: number;
    message_payload?: Buffer | DecodedMessage;
    isResponse(): boolean;
    response(options?: PduFields): PDU;
    toBuffer(): Buffer;
  }

  type ResponseCallback = (pdu: PDU) => void;

  export class Session extends EventEmitter {
    socket: Socket;
    server?: Server;
    send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: PduFields, responseCallback?: ResponseCallback): boolean;
    submit_sm(options: PduFields, responseCallback?: ResponseCallback): boolean;
    deliver_sm(options: PduFields, responseCallback?: ResponseCallback): boolean;
    enquire_link(options?: PduFields | ResponseCallback, responseCallback?: ResponseCallback): boolean;
    unbind(options?: PduFields | ResponseCallback, responseCallback?: ResponseCallback): boolean;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export interface ConnectOptions {
    host: string;
    port: number;
    tls?: boolean;
    /** Fails the connection attempt after this long (net.connect's `timeout` only signals idleness). */
    timeout?: number;
  }

  export function connect(options: ConnectOptions, listener?: () => void): Session;
  export function createServer(listener: (session: Session) => void): Server;

  /** A character set by the package's name for it: `ASCII` is GSM 03.38 (unpacked, one septet an octet). */
  export interface MessageEncoding {
    match(text: string): boolean;
    encode(text: string): Buffer;
    decode(bytes: Buffer): string;
  }
  export const encodings: { ASCII: MessageEncoding; UCS2: MessageEncoding; LATIN1: MessageEncoding };

  /** Status codes by name (`ESME_RTHROTTLED`: 0x58, …). */
  export const errors: Record<string, number>;
  export const consts: {
    TON: Record<string, number>;
    NPI: Record<string, number>;
    ENCODING: Record<string, number>;
    ESM_CLASS: Record<string, number>;
    MESSAGE_STATE: Record<string, number>;
    REGISTERED_DELIVERY: Record<string, number>;
  };
}
