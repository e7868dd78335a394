// @wecom/crypto 1.0.1 ships no type declarations; these follow its lib/index.js (the scheme of WeCom's 加解密方案, developer.work.weixin.qq.com/document/path/90968).
declare module '@wecom/crypto' {
  export function getSignature(token: string, timestamp: string | number, nonce: string | number, encrypt: string): string;
  export function decrypt(encodingAESKey: string, encrypted: string): { message: string; id: string; random: Buffer };
  export function encrypt(encodingAESKey: string, message: string, id: string, random?: Buffer | string): string;
}
