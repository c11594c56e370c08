/**
 * Crypto, EncodingUtil and Blob on node:crypto. AES is CBC with PKCS7 padding; the *WithManagedIV variants put a
 * random 16-byte IV in front of the ciphertext. Key and IV sizes are checked like the platform
 * (System.InvalidParameterValueException "Invalid private key. Must be 32 bytes."); decrypting with a wrong key or
 * corrupt data is System.SecurityException (Java's BadPaddingException message).
 */
import * as nodeCrypto from 'node:crypto';
import { platformError } from '../core/errors.js';
import type { NativeClass } from '../core/runtime.js';
import { ApexBlob, type ApexValue } from '../core/values.js';
import { npe, reqBlob, reqInt, reqStr, unsupported } from './util.js';

const AES_KEY_BYTES: Record<string, number> = { AES128: 16, AES192: 24, AES256: 32 };

function aesAlgorithm(name: string): { cipher: string; keyBytes: number } {
  const n = name.toUpperCase();
  const keyBytes = AES_KEY_BYTES[n];
  if (!keyBytes)
    throw platformError(
      'System.InvalidParameterValueException',
      `Invalid algorithm name: ${name}. Must be AES128, AES192 or AES256.`,
    );
  return { cipher: `aes-${keyBytes * 8}-cbc`, keyBytes };
}

function checkKey(key: Buffer, keyBytes: number): void {
  if (key.length !== keyBytes)
    throw platformError('System.InvalidParameterValueException', `Invalid private key. Must be ${keyBytes} bytes.`);
}

function checkIv(iv: Buffer): void {
  if (iv.length !== 16)
    throw platformError('System.InvalidParameterValueException', 'Invalid initialization vector. Must be 16 bytes.');
}

export function aesEncrypt(alg: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const { cipher, keyBytes } = aesAlgorithm(alg);
  checkKey(key, keyBytes);
  checkIv(iv);
  const c = nodeCrypto.createCipheriv(cipher, key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

export function aesDecrypt(alg: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const { cipher, keyBytes } = aesAlgorithm(alg);
  checkKey(key, keyBytes);
  checkIv(iv);
  if (data.length === 0 || data.length % 16 !== 0) {
    throw platformError(
      'System.SecurityException',
      'Input length must be multiple of 16 when decrypting with padded cipher',
    );
  }
  try {
    const d = nodeCrypto.createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw platformError(
      'System.SecurityException',
      'Given final block not properly padded. Such issues can arise if a bad key is used during decryption.',
    );
  }
}

/**
 * Apex Reference, Crypto.generateDigest: "Valid values for algorithmName are: MD5, SHA1, SHA3-256, SHA3-384, SHA3-512,
 * SHA-256, SHA-512". The platform hands the name to the Java security provider, which also knows the SHA-2 names
 * without the hyphen and SHA-1 with one (Java Security Standard Algorithm Names, MessageDigest aliases); public suites
 * that pass on the platform use 'SHA512'.
 */
const DIGESTS: Record<string, string> = {
  MD5: 'md5',
  SHA1: 'sha1',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
  'SHA-512': 'sha512',
  SHA512: 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

const MACS: Record<string, string> = {
  HMACMD5: 'md5',
  HMACSHA1: 'sha1',
  HMACSHA256: 'sha256',
  HMACSHA512: 'sha512',
};

/**
 * Apex Reference, Crypto class, sign(algorithmName, input, privateKey) and verify(algorithmName, data, signature,
 * publicKey) (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_classes_restful_crypto.htm):
 * "The valid values for algorithmName are RSA-SHA1, RSA-SHA256, RSA-SHA384, RSA-SHA512, ECDSA-SHA256, ECDSA-SHA384 and
 * ECDSA-SHA512" (RSA is RSASSA-PKCS1-v1_5, RSA alone meaning RSA-SHA1; ECDSA signatures are DER, as Java's
 * SHA256withECDSA). The private key is "in PKCS #8 (1.2) Private-Key Information Syntax Standard form" (DER bytes,
 * e.g. EncodingUtil.base64Decode of the PEM body); verify's public key is an X.509 SubjectPublicKeyInfo (DER).
 * A key that cannot be read is System.SecurityException, as the platform's InvalidKeySpecException surfaces.
 */
const SIGNATURES: Record<string, { hash: string; kind: 'rsa' | 'ec' }> = {
  RSA: { hash: 'sha1', kind: 'rsa' },
  'RSA-SHA1': { hash: 'sha1', kind: 'rsa' },
  'RSA-SHA256': { hash: 'sha256', kind: 'rsa' },
  'RSA-SHA384': { hash: 'sha384', kind: 'rsa' },
  'RSA-SHA512': { hash: 'sha512', kind: 'rsa' },
  'ECDSA-SHA256': { hash: 'sha256', kind: 'ec' },
  'ECDSA-SHA384': { hash: 'sha384', kind: 'ec' },
  'ECDSA-SHA512': { hash: 'sha512', kind: 'ec' },
};

function signatureAlgorithm(name: string): { hash: string; kind: 'rsa' | 'ec' } {
  const alg = SIGNATURES[name.toUpperCase()];
  if (!alg) throw platformError('System.InvalidParameterValueException', `Invalid algorithm: ${name}`);
  return alg;
}

function readKey(kind: 'private' | 'public', der: Buffer, alg: { kind: 'rsa' | 'ec' }): nodeCrypto.KeyObject {
  let key: nodeCrypto.KeyObject;
  try {
    key =
      kind === 'private'
        ? nodeCrypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        : nodeCrypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw platformError('System.SecurityException', `Invalid ${kind} key`);
  }
  if (key.asymmetricKeyType !== alg.kind)
    throw platformError('System.SecurityException', `Invalid ${kind} key for this algorithm`);
  return key;
}

export function signData(algorithm: string, data: Buffer, privateKey: Buffer): Buffer {
  const alg = signatureAlgorithm(algorithm);
  return nodeCrypto.sign(alg.hash, data, readKey('private', privateKey, alg));
}

export function verifyData(algorithm: string, data: Buffer, signature: Buffer, publicKey: Buffer): boolean {
  const alg = signatureAlgorithm(algorithm);
  const key = readKey('public', publicKey, alg);
  try {
    return nodeCrypto.verify(alg.hash, data, key, signature);
  } catch {
    return false;
  }
}

function blobArg(v: ApexValue): Buffer {
  return reqBlob(v).bytes;
}

export const CryptoClass: NativeClass = {
  name: 'Crypto',
  statics: {
    generateaeskey: (_rt, a) => {
      const size = reqInt(a[0]);
      if (size !== 128 && size !== 192 && size !== 256)
        throw platformError(
          'System.InvalidParameterValueException',
          `Invalid key size: ${size}. Must be 128, 192 or 256.`,
        );
      return new ApexBlob(nodeCrypto.randomBytes(size / 8));
    },
    encryptwithmanagediv: (_rt, a) => {
      const iv = nodeCrypto.randomBytes(16);
      return new ApexBlob(Buffer.concat([iv, aesEncrypt(reqStr(a[0]), blobArg(a[1]), iv, blobArg(a[2]))]));
    },
    decryptwithmanagediv: (_rt, a) => {
      const data = blobArg(a[2]);
      const alg = reqStr(a[0]);
      const key = blobArg(a[1]);
      checkKey(key, aesAlgorithm(alg).keyBytes);
      if (data.length < 16)
        throw platformError(
          'System.SecurityException',
          'Input length must be multiple of 16 when decrypting with padded cipher',
        );
      return new ApexBlob(aesDecrypt(alg, key, data.subarray(0, 16), data.subarray(16)));
    },
    encrypt: (_rt, a) => new ApexBlob(aesEncrypt(reqStr(a[0]), blobArg(a[1]), blobArg(a[2]), blobArg(a[3]))),
    decrypt: (_rt, a) => new ApexBlob(aesDecrypt(reqStr(a[0]), blobArg(a[1]), blobArg(a[2]), blobArg(a[3]))),
    generatedigest: (_rt, a) => {
      const alg = DIGESTS[reqStr(a[0]).toUpperCase()];
      if (!alg) throw platformError('System.InvalidParameterValueException', `Invalid algorithm: ${reqStr(a[0])}`);
      return new ApexBlob(nodeCrypto.createHash(alg).update(blobArg(a[1])).digest());
    },
    generatemac: (_rt, a) => {
      const alg = MACS[reqStr(a[0]).toUpperCase()];
      if (!alg) throw platformError('System.InvalidParameterValueException', `Invalid algorithm: ${reqStr(a[0])}`);
      return new ApexBlob(nodeCrypto.createHmac(alg, blobArg(a[2])).update(blobArg(a[1])).digest());
    },
    getrandominteger: () => nodeCrypto.randomBytes(4).readInt32BE(0),
    getrandomlong: () => nodeCrypto.randomBytes(8).readBigInt64BE(0),
    sign: (_rt, a) => new ApexBlob(signData(reqStr(a[0]), blobArg(a[1]), blobArg(a[2]))),
    signwithcertificate: () => unsupported('Crypto.signWithCertificate'),
    signxml: () => unsupported('Crypto.signXml'),
    verify: (_rt, a) => {
      if (a[3] instanceof ApexBlob) return verifyData(reqStr(a[0]), blobArg(a[1]), blobArg(a[2]), blobArg(a[3]));
      return unsupported('Crypto.verify with a certificate name');
    },
    verifyhmac: (_rt, a) => {
      const alg = MACS[reqStr(a[0]).toUpperCase()];
      if (!alg) throw platformError('System.InvalidParameterValueException', `Invalid algorithm: ${reqStr(a[0])}`);
      const mac = nodeCrypto.createHmac(alg, blobArg(a[2])).update(blobArg(a[1])).digest();
      const given = blobArg(a[3]);
      return mac.length === given.length && nodeCrypto.timingSafeEqual(mac, given);
    },
  },
};

// ---------------------------------------------------------------------------------------------
// EncodingUtil
// ---------------------------------------------------------------------------------------------

/** java.net.URLEncoder: letters, digits and . - * _ stay; space -> '+'; the rest %XX of the UTF-8 bytes. */
export function javaUrlEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function javaUrlDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '+') bytes.push(32);
    else if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        throw platformError(
          'System.IllegalArgumentException',
          `URLDecoder: Illegal hex characters in escape (%) pattern`,
        );
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function checkEncoding(enc: ApexValue): void {
  const e = reqStr(enc).toUpperCase();
  if (e !== 'UTF-8' && e !== 'UTF8') unsupported(`character encoding ${reqStr(enc)}`);
}

export const EncodingUtilClass: NativeClass = {
  name: 'EncodingUtil',
  statics: {
    base64encode: (_rt, a) => blobArg(a[0]).toString('base64'),
    base64decode: (_rt, a) => {
      const s = reqStr(a[0]);
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(s))
        throw platformError('System.StringException', 'Unable to convert the value to a valid Base64 string');
      return new ApexBlob(Buffer.from(s, 'base64'));
    },
    urlencode: (_rt, a) => {
      checkEncoding(a[1]);
      return javaUrlEncode(reqStr(a[0]));
    },
    urldecode: (_rt, a) => {
      checkEncoding(a[1]);
      return javaUrlDecode(reqStr(a[0]));
    },
    converttohex: (_rt, a) => blobArg(a[0]).toString('hex'),
    convertfromhex: (_rt, a) => {
      const s = reqStr(a[0]);
      if (s.length % 2 !== 0)
        throw platformError(
          'System.InvalidParameterValueException',
          'Input hexadecimal string must have an even length',
        );
      if (!/^[0-9a-fA-F]*$/.test(s))
        throw platformError('System.InvalidParameterValueException', `Invalid hexadecimal string: ${s}`);
      return new ApexBlob(Buffer.from(s, 'hex'));
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Blob
// ---------------------------------------------------------------------------------------------

export const BlobClass: NativeClass = {
  name: 'Blob',
  statics: {
    valueof: (_rt, a) => {
      if (a[0] === null) throw npe();
      return new ApexBlob(Buffer.from(reqStr(a[0]), 'utf8'));
    },
    topdf: () => unsupported('Blob.toPdf'),
  },
  methods: {
    size: (_rt, _a, s) => reqBlob(s).bytes.length,
    tostring: (_rt, _a, s) => {
      const b = reqBlob(s).bytes;
      const text = new TextDecoder('utf-8', { fatal: false }).decode(b);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        throw platformError('System.StringException', 'BLOB is not a valid UTF-8 string');
      }
      return text;
    },
  },
  superTypes: ['object'],
};

export const cryptoClasses: NativeClass[] = [CryptoClass, EncodingUtilClass, BlobClass];
